<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>AccidentSummaryPanel</name>
    <message>
        <location filename="../../desk/ui/panels/accident_summary.py" line="16" />
        <source>待处理事故</source>
        <translation>Open cases</translation>
    </message>
    <message>
        <location filename="../../desk/ui/panels/accident_summary.py" line="23" />
        <source>事故快处队列</source>
        <translation>Quick-handling queue</translation>
    </message>
    <message>
        <location filename="../../desk/ui/panels/accident_summary.py" line="23" />
        <source>暂无事故</source>
        <translation>No cases</translation>
    </message>
</context>
<context>
    <name>Actions</name>
    <message>
        <location filename="../../desk/ui/actions.py" line="34" />
        <source>打开工作区…</source>
        <extracomment>name of a predicate on the window; the action is enabled only when it returns True</extracomment>
        <translation>Open workspace…</translation>
    </message>
    <message>
        <location filename="../../desk/ui/actions.py" line="36" />
        <source>生成郑州演示城市</source>
        <translation>Generate Zhengzhou demo city</translation>
    </message>
    <message>
        <location filename="../../desk/ui/actions.py" line="38" />
        <source>退出</source>
        <translation>Quit</translation>
    </message>
    <message>
        <location filename="../../desk/ui/actions.py" line="40" />
        <source>恢复默认布局</source>
        <translation>Reset layout</translation>
    </message>
    <message>
        <location filename="../../desk/ui/actions.py" line="42" />
        <source>全屏</source>
        <translation>Full screen</translation>
    </message>
    <message>
        <location filename="../../desk/ui/actions.py" line="44" />
        <source>关于</source>
        <translation>About</translation>
    </message>
</context>
<context>
    <name>AlertSummaryPanel</name>
    <message>
        <location filename="../../desk/ui/panels/alert_summary.py" line="16" />
        <source>离线视频</source>
        <translation>Cameras offline</translation>
    </message>
    <message>
        <location filename="../../desk/ui/panels/alert_summary.py" line="17" />
        <source>离线警力</source>
        <translation>Units offline</translation>
    </message>
    <message>
        <location filename="../../desk/ui/panels/alert_summary.py" line="29" />
        <source>类别</source>
        <translation>Category</translation>
    </message>
    <message>
        <location filename="../../desk/ui/panels/alert_summary.py" line="29" />
        <source>编号</source>
        <translation>ID</translation>
    </message>
    <message>
        <location filename="../../desk/ui/panels/alert_summary.py" line="29" />
        <source>名称</source>
        <translation>Name</translation>
    </message>
</context>
<context>
    <name>App</name>
    <message>
        <location filename="../../desk/ui/app.py" line="141" />
        <source>工作区为空。是否生成郑州演示城市（9,432 个视频点位、415 个积水监测点、约 1,000 名警力）？</source>
        <extracomment>Families tried in order for Chinese text; the first installed one becomes the UI font.</extracomment>
        <translation>The workspace is empty. Generate the Zhengzhou demo city (9,432 cameras, 415 water points, about 1,000 officers)?</translation>
    </message>
</context>
<context>
    <name>DemoLoader</name>
    <message>
        <location filename="../../desk/ui/demo_loader.py" line="44" />
        <source>正在生成郑州演示城市…</source>
        <translation>Generating the Zhengzhou demo city…</translation>
    </message>
    <message>
        <location filename="../../desk/ui/demo_loader.py" line="74" />
        <source>生成演示城市失败：</source>
        <translation>Demo city generation failed: </translation>
    </message>
</context>
<context>
    <name>Docks</name>
    <message>
        <location filename="../../desk/ui/panels/registry.py" line="33" />
        <source>地图</source>
        <translation>Map</translation>
    </message>
    <message>
        <location filename="../../desk/ui/panels/registry.py" line="35" />
        <source>勤务一张图</source>
        <translation>Duty board</translation>
    </message>
    <message>
        <location filename="../../desk/ui/panels/registry.py" line="37" />
        <source>事故快处</source>
        <translation>Accident quick handling</translation>
    </message>
    <message>
        <location filename="../../desk/ui/panels/registry.py" line="39" />
        <source>积水与气象</source>
        <translation>Water &amp; weather</translation>
    </message>
    <message>
        <location filename="../../desk/ui/panels/registry.py" line="41" />
        <source>态势</source>
        <translation>Situation</translation>
    </message>
    <message>
        <location filename="../../desk/ui/panels/registry.py" line="43" />
        <source>告警</source>
        <translation>Alerts</translation>
    </message>
</context>
<context>
    <name>DutySummaryPanel</name>
    <message>
        <location filename="../../desk/ui/panels/duty_summary.py" line="16" />
        <source>勤务岗位</source>
        <translation>Duty posts</translation>
    </message>
    <message>
        <location filename="../../desk/ui/panels/duty_summary.py" line="17" />
        <source>在岗警员</source>
        <translation>Officers on duty</translation>
    </message>
    <message>
        <location filename="../../desk/ui/panels/duty_summary.py" line="18" />
        <source>大队/中队</source>
        <translation>Brigades/squadrons</translation>
    </message>
    <message>
        <location filename="../../desk/ui/panels/duty_summary.py" line="30" />
        <source>岗位</source>
        <translation>Post</translation>
    </message>
    <message>
        <location filename="../../desk/ui/panels/duty_summary.py" line="30" />
        <source>类型</source>
        <translation>Kind</translation>
    </message>
    <message>
        <location filename="../../desk/ui/panels/duty_summary.py" line="30" />
        <source>道路</source>
        <translation>Road</translation>
    </message>
    <message>
        <location filename="../../desk/ui/panels/duty_summary.py" line="30" />
        <source>所属</source>
        <translation>Station</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../desk/ui/main_window.py" line="64" />
        <source>主工具栏</source>
        <extracomment>Bump when the dock set changes so an old saved layout is not applied to a different window.</extracomment>
        <translation>Main toolbar</translation>
    </message>
    <message>
        <location filename="../../desk/ui/main_window.py" line="70" />
        <source>预警横幅</source>
        <translation>Warning banner</translation>
    </message>
    <message>
        <location filename="../../desk/ui/main_window.py" line="130" />
        <source>面板加载失败：%1，详情见日志</source>
        <translation>Panel failed to load: %1, see the log</translation>
    </message>
    <message>
        <location filename="../../desk/ui/main_window.py" line="179" />
        <location filename="../../desk/ui/main_window.py" line="272" />
        <source>工作区：</source>
        <translation>Workspace: </translation>
    </message>
    <message>
        <location filename="../../desk/ui/main_window.py" line="196" />
        <source>本地模式</source>
        <translation>Local mode</translation>
    </message>
    <message>
        <location filename="../../desk/ui/main_window.py" line="203" />
        <source>同步不可用</source>
        <translation>Sync unavailable</translation>
    </message>
    <message>
        <location filename="../../desk/ui/main_window.py" line="214" />
        <source>交管指挥桌面</source>
        <translation>Traffic Control Desk</translation>
    </message>
    <message>
        <location filename="../../desk/ui/main_window.py" line="238" />
        <location filename="../../desk/ui/main_window.py" line="243" />
        <source>打开工作区</source>
        <translation>Open workspace</translation>
    </message>
    <message>
        <location filename="../../desk/ui/main_window.py" line="239" />
        <source>desk 工作区 (*.sqlite *.db);;所有文件 (*)</source>
        <translation>desk workspaces (*.sqlite *.db);;All files (*)</translation>
    </message>
    <message>
        <location filename="../../desk/ui/main_window.py" line="244" />
        <source>请以 desk --db 指定的路径重新启动以打开该工作区：</source>
        <translation>Restart with desk --db to open this workspace:</translation>
    </message>
    <message>
        <location filename="../../desk/ui/main_window.py" line="270" />
        <source>关于 desk</source>
        <translation>About desk</translation>
    </message>
    <message>
        <location filename="../../desk/ui/main_window.py" line="271" />
        <source>交管指挥桌面 desk</source>
        <translation>Traffic Control Desk (desk)</translation>
    </message>
    <message>
        <location filename="../../desk/ui/main_window.py" line="273" />
        <source>数据结构版本：</source>
        <translation>Schema version: </translation>
    </message>
</context>
<context>
    <name>MapPlaceholderPanel</name>
    <message>
        <location filename="../../desk/ui/panels/map_placeholder.py" line="17" />
        <source>警力单元</source>
        <translation>Units</translation>
    </message>
    <message>
        <location filename="../../desk/ui/panels/map_placeholder.py" line="18" />
        <source>在岗警员</source>
        <translation>Officers on duty</translation>
    </message>
    <message>
        <location filename="../../desk/ui/panels/map_placeholder.py" line="19" />
        <source>视频点位</source>
        <translation>Cameras</translation>
    </message>
    <message>
        <location filename="../../desk/ui/panels/map_placeholder.py" line="20" />
        <source>积水监测点</source>
        <translation>Water points</translation>
    </message>
    <message>
        <location filename="../../desk/ui/panels/map_placeholder.py" line="21" />
        <source>数字警务室</source>
        <translation>Digital police rooms</translation>
    </message>
    <message>
        <location filename="../../desk/ui/panels/map_placeholder.py" line="35" />
        <source>警力状态</source>
        <translation>Unit status</translation>
    </message>
    <message>
        <location filename="../../desk/ui/panels/map_placeholder.py" line="35" />
        <source>数量</source>
        <translation>Count</translation>
    </message>
</context>
<context>
    <name>Menus</name>
    <message>
        <location filename="../../desk/ui/actions.py" line="35" />
        <location filename="../../desk/ui/actions.py" line="37" />
        <location filename="../../desk/ui/actions.py" line="39" />
        <source>工作区</source>
        <translation>Workspace</translation>
    </message>
    <message>
        <location filename="../../desk/ui/actions.py" line="41" />
        <location filename="../../desk/ui/actions.py" line="43" />
        <source>视图</source>
        <translation>View</translation>
    </message>
    <message>
        <location filename="../../desk/ui/actions.py" line="45" />
        <source>帮助</source>
        <translation>Help</translation>
    </message>
</context>
<context>
    <name>SituationPanel</name>
    <message>
        <location filename="../../desk/ui/panels/situation.py" line="17" />
        <source>在线视频</source>
        <translation>Cameras online</translation>
    </message>
    <message>
        <location filename="../../desk/ui/panels/situation.py" line="18" />
        <source>离线视频</source>
        <translation>Cameras offline</translation>
    </message>
    <message>
        <location filename="../../desk/ui/panels/situation.py" line="27" />
        <source>警力类型</source>
        <translation>Unit kind</translation>
    </message>
    <message>
        <location filename="../../desk/ui/panels/situation.py" line="27" />
        <source>单元数</source>
        <translation>Units</translation>
    </message>
</context>
<context>
    <name>WaterSummaryPanel</name>
    <message>
        <location filename="../../desk/ui/panels/water_summary.py" line="17" />
        <source>监测点</source>
        <translation>Points</translation>
    </message>
    <message>
        <location filename="../../desk/ui/panels/water_summary.py" line="18" />
        <source>隧道</source>
        <translation>Tunnels</translation>
    </message>
    <message>
        <location filename="../../desk/ui/panels/water_summary.py" line="19" />
        <source>道路积水点</source>
        <translation>Road points</translation>
    </message>
    <message>
        <location filename="../../desk/ui/panels/water_summary.py" line="33" />
        <source>编号</source>
        <translation>ID</translation>
    </message>
    <message>
        <location filename="../../desk/ui/panels/water_summary.py" line="33" />
        <source>名称</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../desk/ui/panels/water_summary.py" line="33" />
        <source>类型</source>
        <translation>Kind</translation>
    </message>
    <message>
        <location filename="../../desk/ui/panels/water_summary.py" line="33" />
        <source>警告水深cm</source>
        <translation>Warning depth (cm)</translation>
    </message>
    <message>
        <location filename="../../desk/ui/panels/water_summary.py" line="34" />
        <source>最新水深cm</source>
        <translation>Latest depth (cm)</translation>
    </message>
</context>
</TS>