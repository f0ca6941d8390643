"""The water panel (积水与气象): points, charts, rain warning banner, nearest cameras."""
