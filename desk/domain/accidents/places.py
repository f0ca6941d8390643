"""Intersections of the seed city (郑州) the dispatcher can pick a case's place from.

Positions are approximate WGS-84 centres of the junctions (good to a block, which is what a
report's place needs); the list is data, a deployment replaces it with its own city's.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Intersection:
    name: str
    district: str
    lat: float
    lon: float


INTERSECTIONS: tuple[Intersection, ...] = (
    Intersection("花园路与三全路交叉口", "金水区", 34.8068, 113.6773),
    Intersection("花园路与宏康路交叉口", "金水区", 34.8132, 113.6772),
    Intersection("花园路与农业路交叉口", "金水区", 34.7852, 113.6770),
    Intersection("花园路与东风路交叉口", "金水区", 34.7952, 113.6772),
    Intersection("金水路与未来路交叉口", "金水区", 34.7708, 113.7072),
    Intersection("金水路与文化路交叉口", "金水区", 34.7665, 113.6648),
    Intersection("未来路与农业路交叉口", "金水区", 34.7860, 113.7080),
    Intersection("中原路与嵩山路交叉口", "中原区", 34.7468, 113.6050),
    Intersection("建设路与桐柏路交叉口", "中原区", 34.7592, 113.6150),
    Intersection("大学路与陇海路交叉口", "二七区", 34.7352, 113.6440),
    Intersection("二七广场（解放路与人民路）", "二七区", 34.7550, 113.6730),
    Intersection("京广路与航海路交叉口", "二七区", 34.7231, 113.6468),
    Intersection("紫荆山路与商城路交叉口", "管城回族区", 34.7597, 113.6847),
    Intersection("中州大道与金水东路交叉口", "郑东新区", 34.7680, 113.7310),
    Intersection("商务外环与商务内环交叉口", "郑东新区", 34.7747, 113.7330),
    Intersection("心怡路与龙湖外环交叉口", "郑东新区", 34.8060, 113.7455),
    Intersection("郑州东站东广场", "郑东新区", 34.7575, 113.7780),
    Intersection("如意湖（如意西路与商务外环）", "郑东新区", 34.7760, 113.7262),
    Intersection("科学大道与长椿路交叉口", "高新区", 34.8230, 113.5480),
    Intersection("航海东路与第四大街交叉口", "经开区", 34.7250, 113.7520),
    Intersection("郑大一附院（建设东路与大学路）", "二七区", 34.7570, 113.6530),
    Intersection("北三环与文化路交叉口", "金水区", 34.8095, 113.6650),
    Intersection("南三环与京广快速路交叉口", "二七区", 34.7050, 113.6460),
    Intersection("中牟县青年路与商都大道交叉口", "中牟县", 34.7190, 113.9760),
)
