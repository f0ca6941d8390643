"""Video for the whole app: one player (``player``), the incident video wall (``wall``) and the
owner that opens them when any panel asks (``owner``)."""
