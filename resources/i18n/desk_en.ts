<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>AccidentPanel</name>
    <message>
        <location filename="../../desk/ui/accidents/panel.py" line="66" />
        <source>筛选：编号、地点、号牌、形态（Ctrl+F）</source>
        <translation>Filter: ID, place, plate, type (Ctrl+F)</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/panel.py" line="76" />
        <source>全部未结</source>
        <translation>All open</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/panel.py" line="76" />
        <source>待受理</source>
        <translation>To accept</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/panel.py" line="76" />
        <source>待定责</source>
        <translation>To decide</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/panel.py" line="77" />
        <source>待理赔/结案</source>
        <translation>Claim/close</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/panel.py" line="102" />
        <source>新建案件</source>
        <translation>New case</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/panel.py" line="104" />
        <location filename="../../desk/ui/accidents/panel.py" line="358" />
        <source>演示报警流</source>
        <translation>Demo report stream</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/panel.py" line="127" />
        <source>案件</source>
        <translation>Case</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/panel.py" line="128" />
        <source>统计</source>
        <translation>Statistics</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/panel.py" line="241" />
        <source>没有等待处理的案件</source>
        <translation>No cases waiting</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/panel.py" line="245" />
        <source>未结 {0}（显示 {1}）  超时 {2}  严重超时 {3}</source>
        <translation>Open {0} ({1} shown)  Late {2}  Critical {3}</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/panel.py" line="310" />
        <source>已新建案件 {0}</source>
        <translation>Case {0} created</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/panel.py" line="317" />
        <source>案件已转出快处，但未定位，无法推荐附近警力</source>
        <translation>The case left quick handling but has no position: no nearby units can be suggested</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/panel.py" line="322" />
        <source>{0} 已{1}，地图上显示最近可派警力</source>
        <translation>{0}: {1}; the map shows the nearest available units</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/panel.py" line="334" />
        <source>演示报警流由应用运行时提供，当前不可用</source>
        <translation>The demo report stream is run by the application runtime, which is not available</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/panel.py" line="344" />
        <source>演示报警流操作失败：{0}</source>
        <translation>Demo report stream failed: {0}</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/panel.py" line="358" />
        <source>停止演示报警</source>
        <translation>Stop demo reports</translation>
    </message>
</context>
<context>
    <name>AccidentQueueModel</name>
    <message>
        <location filename="../../desk/ui/accidents/queue_model.py" line="61" />
        <source>等待</source>
        <translation>Wait</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/queue_model.py" line="61" />
        <source>编号</source>
        <translation>ID</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/queue_model.py" line="61" />
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/queue_model.py" line="61" />
        <source>地点</source>
        <translation>Place</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/queue_model.py" line="62" />
        <source>形态</source>
        <translation>Type</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/queue_model.py" line="62" />
        <source>号牌</source>
        <translation>Plate</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/queue_model.py" line="206" />
        <source>等待理赔推送或结案</source>
        <translation>Waiting for claim or closing</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/queue_model.py" line="207" />
        <source>受理</source>
        <translation>Accept</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/queue_model.py" line="207" />
        <source>定责</source>
        <translation>Decide</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/queue_model.py" line="208" />
        <source>目标：{0}分钟内{1}</source>
        <translation>Target: {1} within {0} min</translation>
    </message>
</context>
<context>
    <name>Actions</name>
    <message>
        <location filename="../../desk/ui/actions.py" line="37" />
        <source>打开工作区…</source>
        <extracomment>name of a predicate on the window; the action is enabled only when it returns True</extracomment>
        <translation>Open workspace…</translation>
    </message>
    <message>
        <location filename="../../desk/ui/actions.py" line="39" />
        <source>生成郑州演示城市</source>
        <translation>Generate Zhengzhou demo city</translation>
    </message>
    <message>
        <location filename="../../desk/ui/actions.py" line="41" />
        <source>设置…</source>
        <translation>Settings…</translation>
    </message>
    <message>
        <location filename="../../desk/ui/actions.py" line="43" />
        <source>交接班…</source>
        <translation>Shift handover…</translation>
    </message>
    <message>
        <location filename="../../desk/ui/actions.py" line="45" />
        <source>退出</source>
        <translation>Quit</translation>
    </message>
    <message>
        <location filename="../../desk/ui/actions.py" line="47" />
        <source>恢复默认布局</source>
        <translation>Reset layout</translation>
    </message>
    <message>
        <location filename="../../desk/ui/actions.py" line="49" />
        <source>全屏</source>
        <translation>Full screen</translation>
    </message>
    <message>
        <location filename="../../desk/ui/actions.py" line="51" />
        <source>日志</source>
        <translation>Log</translation>
    </message>
    <message>
        <location filename="../../desk/ui/actions.py" line="53" />
        <source>关于</source>
        <translation>About</translation>
    </message>
</context>
<context>
    <name>AlertInboxPanel</name>
    <message>
        <location filename="../../desk/ui/alerts/panel.py" line="141" />
        <source>详情与记录</source>
        <translation>Details and log</translation>
    </message>
    <message>
        <location filename="../../desk/ui/alerts/panel.py" line="49" />
        <location filename="../../desk/ui/alerts/panel.py" line="143" />
        <source>附近摄像机</source>
        <translation>Nearby cameras</translation>
    </message>
    <message>
        <location filename="../../desk/ui/alerts/panel.py" line="45" />
        <source>派警…</source>
        <translation>Dispatch…</translation>
    </message>
    <message>
        <location filename="../../desk/ui/alerts/panel.py" line="46" />
        <source>指派…</source>
        <translation>Assign…</translation>
    </message>
    <message>
        <location filename="../../desk/ui/alerts/panel.py" line="47" />
        <source>处置完毕…</source>
        <translation>Resolve…</translation>
    </message>
    <message>
        <location filename="../../desk/ui/alerts/panel.py" line="48" />
        <source>在地图上定位</source>
        <translation>Show on map</translation>
    </message>
    <message>
        <location filename="../../desk/ui/alerts/panel.py" line="50" />
        <source>视频</source>
        <translation>Video</translation>
    </message>
    <message>
        <location filename="../../desk/ui/alerts/panel.py" line="51" />
        <source>静音本工作站</source>
        <translation>Mute this workstation</translation>
    </message>
    <message>
        <location filename="../../desk/ui/alerts/panel.py" line="216" />
        <source>未处置告警 {0} 条，红色 {1} 条，待确认红色 {2} 条</source>
        <extracomment>Above this many alerts in one ChangeSet (an import, a sync pull), reload instead. Changes arriving closer together than this are shown together: one repaint of the table for a burst, not one per alert (a storm of 1,000 alerts a minute is 17 a second).</extracomment>
        <translation>Open alerts {0}, red {1}, red unacknowledged {2}</translation>
    </message>
    <message>
        <location filename="../../desk/ui/alerts/panel.py" line="226" />
        <source>已静音 (M)</source>
        <translation>Muted (M)</translation>
    </message>
    <message>
        <location filename="../../desk/ui/alerts/panel.py" line="226" />
        <source>静音 (M)</source>
        <translation>Mute (M)</translation>
    </message>
    <message>
        <location filename="../../desk/ui/alerts/panel.py" line="230" />
        <source>🔇 红色告警待确认（本工作站已静音）</source>
        <translation>🔇 Red alert to acknowledge (this workstation is muted)</translation>
    </message>
    <message>
        <location filename="../../desk/ui/alerts/panel.py" line="232" />
        <source>🔊 红色告警声音提示中</source>
        <translation>🔊 Red alert sounding</translation>
    </message>
    <message>
        <location filename="../../desk/ui/alerts/panel.py" line="234" />
        <source>⚠ 红色告警待确认（本机无可用音频设备，无法播放提示音）</source>
        <translation>⚠ Red alert to acknowledge (no audio device here, cannot sound)</translation>
    </message>
    <message>
        <location filename="../../desk/ui/alerts/panel.py" line="273" />
        <source>没有选中的告警</source>
        <translation>No alert selected</translation>
    </message>
    <message>
        <location filename="../../desk/ui/alerts/panel.py" line="280" />
        <source>来源：</source>
        <translation>Source: </translation>
    </message>
    <message>
        <location filename="../../desk/ui/alerts/panel.py" line="280" />
        <source>首次：</source>
        <translation>First: </translation>
    </message>
    <message>
        <location filename="../../desk/ui/alerts/panel.py" line="281" />
        <source>最近：</source>
        <translation>Latest:</translation>
    </message>
    <message>
        <location filename="../../desk/ui/alerts/panel.py" line="282" />
        <source>重复：</source>
        <translation>Repeats: </translation>
    </message>
    <message>
        <location filename="../../desk/ui/alerts/panel.py" line="299" />
        <source>无法</source>
        <translation>Cannot </translation>
    </message>
    <message>
        <location filename="../../desk/ui/alerts/panel.py" line="44" />
        <location filename="../../desk/ui/alerts/panel.py" line="307" />
        <source>确认</source>
        <extracomment>Keyboard actions (id, title, shortcut). Documented in resources/docs/water.md.</extracomment>
        <translation>Acknowledge</translation>
    </message>
    <message>
        <location filename="../../desk/ui/alerts/panel.py" line="324" />
        <source>指派</source>
        <translation>assign</translation>
    </message>
    <message>
        <location filename="../../desk/ui/alerts/panel.py" line="332" />
        <source>处置完毕</source>
        <translation>Resolve alert</translation>
    </message>
    <message>
        <location filename="../../desk/ui/alerts/panel.py" line="332" />
        <source>处置说明：</source>
        <translation>Resolution note: </translation>
    </message>
    <message>
        <location filename="../../desk/ui/alerts/panel.py" line="335" />
        <source>处置</source>
        <translation>resolve</translation>
    </message>
    <message>
        <location filename="../../desk/ui/alerts/panel.py" line="342" />
        <source>该告警没有位置，无法就近派警</source>
        <translation>This alert has no location; cannot find the nearest units</translation>
    </message>
</context>
<context>
    <name>AlertTableModel</name>
    <message>
        <location filename="../../desk/ui/alerts/model.py" line="32" />
        <source>级别</source>
        <extracomment>Row tints: strong for new alerts, faint once someone has taken them. Blue (information) rows get no blue wash: a blue row looked exactly like the selection highlight. Their severity cell carries the colour and the row a neutral grey while new.</extracomment>
        <translation>Severity</translation>
    </message>
    <message>
        <location filename="../../desk/ui/alerts/model.py" line="33" />
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <location filename="../../desk/ui/alerts/model.py" line="34" />
        <source>类型</source>
        <translation>Kind</translation>
    </message>
    <message>
        <location filename="../../desk/ui/alerts/model.py" line="35" />
        <source>地点</source>
        <translation>Place</translation>
    </message>
    <message>
        <location filename="../../desk/ui/alerts/model.py" line="36" />
        <source>内容</source>
        <translation>Message</translation>
    </message>
    <message>
        <location filename="../../desk/ui/alerts/model.py" line="37" />
        <source>次数</source>
        <translation>Count</translation>
    </message>
    <message>
        <location filename="../../desk/ui/alerts/model.py" line="38" />
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../desk/ui/alerts/model.py" line="39" />
        <source>处理</source>
        <translation>Handling</translation>
    </message>
</context>
<context>
    <name>App</name>
    <message>
        <location filename="../../desk/ui/app.py" line="331" />
        <source>工作区为空。是否生成郑州演示城市（9,432 个视频点位、415 个积水监测点、约 1,000 名警力）？</source>
        <extracomment>Families tried in order for Chinese text; the first installed one becomes the UI font.</extracomment>
        <translation>The workspace is empty. Generate the Zhengzhou demo city (9,432 cameras, 415 water points, about 1,000 officers)?</translation>
    </message>
    <message>
        <location filename="../../desk/ui/app.py" line="384" />
        <source>程序出现错误，已记录到日志：</source>
        <translation>An error occurred and was written to the log:</translation>
    </message>
    <message>
        <location filename="../../desk/ui/app.py" line="439" />
        <source>无法开始演练：</source>
        <translation>Cannot start the drill: </translation>
    </message>
    <message>
        <location filename="../../desk/ui/app.py" line="495" />
        <source>无法打开演练回放：</source>
        <translation>Cannot open the drill replay: </translation>
    </message>
</context>
<context>
    <name>AssignDialog</name>
    <message>
        <location filename="../../desk/ui/alerts/assign.py" line="35" />
        <source>责任人</source>
        <translation>Contacts</translation>
    </message>
    <message>
        <location filename="../../desk/ui/alerts/assign.py" line="36" />
        <source>警力</source>
        <translation>Units</translation>
    </message>
    <message>
        <location filename="../../desk/ui/alerts/assign.py" line="37" />
        <source>民警</source>
        <translation>Officer</translation>
    </message>
    <message>
        <location filename="../../desk/ui/alerts/assign.py" line="38" />
        <source>单位</source>
        <translation>Organisation</translation>
    </message>
    <message>
        <location filename="../../desk/ui/alerts/assign.py" line="49" />
        <source>指派告警</source>
        <translation>Assign alert</translation>
    </message>
    <message>
        <location filename="../../desk/ui/alerts/assign.py" line="69" />
        <source>指派给：</source>
        <translation>Assign to:</translation>
    </message>
    <message>
        <location filename="../../desk/ui/alerts/assign.py" line="70" />
        <source>可选警力、责任人、民警或单位，也可直接输入班组名称</source>
        <translation>Pick a unit, responsible person, officer or organisation, or type a team name</translation>
    </message>
    <message>
        <location filename="../../desk/ui/alerts/assign.py" line="76" />
        <source>指派</source>
        <translation>assign</translation>
    </message>
    <message>
        <location filename="../../desk/ui/alerts/assign.py" line="77" />
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>CaseWorkspace</name>
    <message>
        <location filename="../../desk/ui/accidents/case_view.py" line="458" />
        <location filename="../../desk/ui/accidents/case_view.py" line="863" />
        <source>受理</source>
        <translation>Accept</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/case_view.py" line="459" />
        <location filename="../../desk/ui/accidents/case_view.py" line="865" />
        <source>定责</source>
        <translation>Decide</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/case_view.py" line="460" />
        <source>自行协商</source>
        <translation>Settle</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/case_view.py" line="461" />
        <source>推送理赔</source>
        <translation>Claim</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/case_view.py" line="462" />
        <source>结案</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/case_view.py" line="464" />
        <source>转一般程序</source>
        <translation>Ordinary</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/case_view.py" line="465" />
        <source>撤销</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/case_view.py" line="488" />
        <source>案情与认定</source>
        <translation>Facts and liability</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/case_view.py" line="490" />
        <location filename="../../desk/ui/accidents/case_view.py" line="1090" />
        <source>证据</source>
        <translation>Evidence</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/case_view.py" line="491" />
        <source>文书与理赔</source>
        <translation>Documents and claims</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/case_view.py" line="493" />
        <source>流转记录</source>
        <translation>History</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/case_view.py" line="496" />
        <source>从左侧队列选择案件（回车打开，Alt+N 下一件）</source>
        <translation>Pick a case from the queue on the left (Enter opens, Alt+N next)</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/case_view.py" line="524" />
        <source>案情</source>
        <translation>Facts</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/case_view.py" line="554" />
        <source>事故经过（当事人陈述、视频核实情况）</source>
        <translation>What happened (party statements, video check)</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/case_view.py" line="562" />
        <source>地点</source>
        <translation>Place</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/case_view.py" line="565" />
        <source>天气</source>
        <translation>Weather</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/case_view.py" line="567" />
        <source>事故形态</source>
        <translation>Type</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/case_view.py" line="568" />
        <source>碰撞部位</source>
        <translation>Impact points</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/case_view.py" line="569" />
        <source>经过</source>
        <translation>Account</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/case_view.py" line="584" />
        <location filename="../../desk/ui/accidents/case_view.py" line="686" />
        <source>当事人</source>
        <translation>Parties</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/case_view.py" line="586" />
        <source>＋ 当事人</source>
        <translation>+ Party</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/case_view.py" line="625" />
        <source>未核实</source>
        <translation>Unset</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/case_view.py" line="625" />
        <source>是</source>
        <translation>Yes</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/case_view.py" line="625" />
        <source>否</source>
        <translation>No</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/case_view.py" line="597" />
        <source>责任认定</source>
        <translation>Liability</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/case_view.py" line="463" />
        <source>转现场处理</source>
        <translation>To the scene</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/case_view.py" line="473" />
        <source>发现伤员，重新立案 (Alt+R)</source>
        <translation>Injury found, re-open (Alt+R)</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/case_view.py" line="477" />
        <source>视频 (Alt+V)</source>
        <translation>Video (Alt+V)</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/case_view.py" line="534" />
        <source>未填写</source>
        <translation>Not entered</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/case_view.py" line="535" />
        <source>事故发生时间（北京时间），不是报警时间</source>
        <translation>Time of the accident (China Standard Time), not of the report</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/case_view.py" line="556" />
        <source>当事人共同申请当场调解</source>
        <translation>The parties jointly ask for on-the-spot mediation</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/case_view.py" line="558" />
        <source>调解结果（第25条，写入认定书）</source>
        <translation>Mediation result (Art. 25, printed on the decision)</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/case_view.py" line="564" />
        <source>事故时间</source>
        <translation>Accident time</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/case_view.py" line="566" />
        <source>事故情形</source>
        <translation>Situation</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/case_view.py" line="571" />
        <source>调解结果</source>
        <translation>Mediation result</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/case_view.py" line="603" />
        <source>采用建议</source>
        <translation>Apply</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/case_view.py" line="606" />
        <source>与建议不一致时填写理由</source>
        <translation>Reason if different from the suggestion</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/case_view.py" line="620" />
        <source>快处条件核查（公安部令第146号）</source>
        <translation>Quick-handling checks (MPS Order No. 146)</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/case_view.py" line="672" />
        <source>另存/打印文书…</source>
        <translation>Save/print document…</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/case_view.py" line="683" />
        <source>理赔推送</source>
        <translation>Claims</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/case_view.py" line="686" />
        <source>号牌</source>
        <translation>Plate</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/case_view.py" line="686" />
        <source>保险公司</source>
        <translation>Insurer</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/case_view.py" line="686" />
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/case_view.py" line="749" />
        <source>未定位</source>
        <translation>No location</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/case_view.py" line="813" />
        <source>未认定</source>
        <translation>Undecided</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/case_view.py" line="868" />
        <source>用时 {0}</source>
        <translation>Took {0}</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/case_view.py" line="873" />
        <source>已等待 {0} / {1}目标 {2}</source>
        <translation>Waited {0} / target {2} ({1})</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/case_view.py" line="895" />
        <source>定责或自行协商后生成文书</source>
        <translation>The document is generated once liability is decided or self-settled</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/case_view.py" line="920" />
        <source>建议：</source>
        <translation>Suggestion: </translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/case_view.py" line="921" />
        <source>无建议：请勾选肇事方或由民警判断主次/同等</source>
        <translation>No suggestion: mark the party at fault, or the officer decides major/minor/equal</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/case_view.py" line="929" />
        <source>责任组合合法</source>
        <translation>Liability combination valid</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/case_view.py" line="932" />
        <source>请为每一方选择责任</source>
        <translation>Choose liability for each party</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/case_view.py" line="937" />
        <source>本案应{0}（Alt+J 现场 / Alt+G 一般程序）</source>
        <translation>This case must go: {0} (Alt+J scene / Alt+G ordinary procedure)</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/case_view.py" line="942" />
        <source>定责前还需：</source>
        <translation>Before deciding liability: </translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/case_view.py" line="943" />
        <source>……等{0}项（悬停查看全部）</source>
        <translation>… {0} items in all (hover to see them)</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/case_view.py" line="945" />
        <source>材料齐全，可以定责（Alt+D）</source>
        <translation>Complete: liability can be decided (Alt+D)</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/case_view.py" line="1032" />
        <source>草稿未保存：</source>
        <translation>Draft not saved: </translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/case_view.py" line="1037" />
        <source>{0} 项内容已被其他席位修改，您的修改已列入冲突列表待处理</source>
        <translation>{0} field(s) were changed by another desk; your edits are in the conflict list</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/case_view.py" line="1099" />
        <source>选择证据文件</source>
        <translation>Choose evidence files</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/case_view.py" line="1100" />
        <source>照片和视频 (*.jpg *.jpeg *.png *.mp4 *.mov *.avi);;所有文件 (*)</source>
        <translation>Photos and videos (*.jpg *.jpeg *.png *.mp4 *.mov *.avi);;All files (*)</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/case_view.py" line="1104" />
        <source>证据类别</source>
        <translation>Evidence kind</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/case_view.py" line="1104" />
        <source>这些文件是：</source>
        <translation>These files are: </translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/case_view.py" line="1116" />
        <source>文书</source>
        <translation>Document</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/case_view.py" line="1119" />
        <source>另存文书</source>
        <translation>Save document</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/case_view.py" line="1122" />
        <source>文书已保存：</source>
        <translation>Document saved: </translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/case_view.py" line="1136" />
        <source>案件当前为“{0}”，不能{1}</source>
        <translation>Case is in “{0}”: “{1}” not allowed</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/case_view.py" line="1142" />
        <source>请填写{0}原因：</source>
        <translation>Reason for {0}: </translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/case_view.py" line="1166" />
        <location filename="../../desk/ui/accidents/case_view.py" line="1173" />
        <location filename="../../desk/ui/accidents/case_view.py" line="1176" />
        <source>重新立案</source>
        <translation>Re-open</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/case_view.py" line="1167" />
        <source>受伤情况（谁、何处受伤、何时发现）：</source>
        <translation>Injury (who, where hurt, when found):</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/case_view.py" line="1174" />
        <source>伤情是否轻微？</source>
        <translation>Is the injury minor?</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/case_view.py" line="1177" />
        <source>各方当事人是否同意适用简易程序？</source>
        <translation>Do all parties agree to the simplified procedure?</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/case_view.py" line="1192" />
        <source>{0}：已{1}</source>
        <translation>{0}: {1} done</translation>
    </message>
</context>
<context>
    <name>ChecklistDialog</name>
    <message>
        <location filename="../../desk/ui/water/banner.py" line="60" />
        <source>处置措施（市防汛预案）</source>
        <extracomment>The neutral strip of the internal assessment (not a signal colour).</extracomment>
        <translation>Response measures (city flood-control plan)</translation>
    </message>
    <message>
        <location filename="../../desk/ui/water/banner.py" line="63" />
        <source>收到：</source>
        <translation>Received:</translation>
    </message>
    <message>
        <location filename="../../desk/ui/water/banner.py" line="64" />
        <source>发布：</source>
        <translation>Issued: </translation>
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
        <location filename="../../desk/ui/demo_loader.py" line="81" />
        <source>生成演示城市失败：</source>
        <translation>Demo city generation failed: </translation>
    </message>
</context>
<context>
    <name>DispatchDialog</name>
    <message>
        <location filename="../../desk/ui/dispatch/dialog.py" line="43" />
        <source>派警</source>
        <translation>Dispatch</translation>
    </message>
    <message>
        <location filename="../../desk/ui/dispatch/dialog.py" line="55" />
        <source>呼号</source>
        <translation>Call sign</translation>
    </message>
    <message>
        <location filename="../../desk/ui/dispatch/dialog.py" line="55" />
        <source>类型</source>
        <translation>Kind</translation>
    </message>
    <message>
        <location filename="../../desk/ui/dispatch/dialog.py" line="55" />
        <source>距离</source>
        <translation>Distance</translation>
    </message>
    <message>
        <location filename="../../desk/ui/dispatch/dialog.py" line="55" />
        <source>预计到达</source>
        <translation>ETA</translation>
    </message>
    <message>
        <location filename="../../desk/ui/dispatch/dialog.py" line="55" />
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../desk/ui/dispatch/dialog.py" line="56" />
        <source>定位</source>
        <translation>Fix</translation>
    </message>
    <message>
        <location filename="../../desk/ui/dispatch/dialog.py" line="68" />
        <source>派警 (Enter)</source>
        <translation>Dispatch (Enter)</translation>
    </message>
    <message>
        <location filename="../../desk/ui/dispatch/dialog.py" line="73" />
        <source>封闭道路/隧道…</source>
        <translation>Close road/tunnel…</translation>
    </message>
    <message>
        <location filename="../../desk/ui/dispatch/dialog.py" line="78" />
        <source>快反圈…</source>
        <translation>Quick-response circles…</translation>
    </message>
    <message>
        <location filename="../../desk/ui/dispatch/dialog.py" line="82" />
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../desk/ui/dispatch/dialog.py" line="122" />
        <source>目标不在任何快反圈内</source>
        <translation>The target is in no quick-response circle</translation>
    </message>
    <message>
        <location filename="../../desk/ui/dispatch/dialog.py" line="127" />
        <source>{0} 分钟：</source>
        <translation>{0} min: </translation>
    </message>
    <message>
        <location filename="../../desk/ui/dispatch/dialog.py" line="129" />
        <source>快反圈 {0}（{1}）— {2}</source>
        <translation>Quick-response circle {0} ({1}) — {2}</translation>
    </message>
    <message>
        <location filename="../../desk/ui/dispatch/dialog.py" line="139" />
        <source>目标：</source>
        <translation>Target: </translation>
    </message>
    <message>
        <location filename="../../desk/ui/dispatch/dialog.py" line="140" />
        <source>已派：</source>
        <translation>Sent: </translation>
    </message>
    <message>
        <location filename="../../desk/ui/dispatch/dialog.py" line="146" />
        <source>返回中</source>
        <translation>Returning</translation>
    </message>
    <message>
        <location filename="../../desk/ui/dispatch/dialog.py" line="146" />
        <source>空闲/待命</source>
        <translation>Available</translation>
    </message>
    <message>
        <location filename="../../desk/ui/dispatch/dialog.py" line="148" />
        <source>无定位时间</source>
        <translation>No fix time</translation>
    </message>
    <message>
        <location filename="../../desk/ui/dispatch/dialog.py" line="150" />
        <source>⚠ 定位陈旧（{0} 分钟前）</source>
        <translation>⚠ Stale fix ({0} min ago)</translation>
    </message>
    <message>
        <location filename="../../desk/ui/dispatch/dialog.py" line="152" />
        <source>{0} 秒前</source>
        <translation>{0} s ago</translation>
    </message>
    <message>
        <location filename="../../desk/ui/dispatch/dialog.py" line="166" />
        <source>附近没有空闲/待命或返回中的警力可派</source>
        <translation>No available or returning unit nearby</translation>
    </message>
    <message>
        <location filename="../../desk/ui/dispatch/dialog.py" line="154" />
        <source>分钟</source>
        <translation>min</translation>
    </message>
    <message>
        <location filename="../../desk/ui/dispatch/dialog.py" line="181" />
        <source>已派 {0} 前往 {1}</source>
        <translation>Sent {0} to {1}</translation>
    </message>
    <message>
        <location filename="../../desk/ui/dispatch/dialog.py" line="191" />
        <source>封闭道路/隧道</source>
        <translation>Close road/tunnel</translation>
    </message>
    <message>
        <location filename="../../desk/ui/dispatch/dialog.py" line="191" />
        <source>封闭原因：</source>
        <translation>Reason for closing:</translation>
    </message>
    <message>
        <location filename="../../desk/ui/dispatch/dialog.py" line="200" />
        <location filename="../../desk/ui/dispatch/dialog.py" line="201" />
        <source>已封闭 {0}</source>
        <translation>Closed {0}</translation>
    </message>
</context>
<context>
    <name>Docks</name>
    <message>
        <location filename="../../desk/ui/panels/registry.py" line="37" />
        <source>地图</source>
        <extracomment>The map takes the left and the full height; everything else shares one tabbed column on the right (dispatchers live on the map, the accident queue and the alerts; a chief pops the duty board out to a second screen). The first right-hand dock is the tab raised by default.</extracomment>
        <translation>Map</translation>
    </message>
    <message>
        <location filename="../../desk/ui/panels/registry.py" line="45" />
        <source>勤务一张图</source>
        <translation>Duty board</translation>
    </message>
    <message>
        <location filename="../../desk/ui/panels/registry.py" line="39" />
        <source>事故快处</source>
        <translation>Accident quick handling</translation>
    </message>
    <message>
        <location filename="../../desk/ui/panels/registry.py" line="43" />
        <source>积水与气象</source>
        <translation>Water/weather</translation>
    </message>
    <message>
        <location filename="../../desk/ui/panels/registry.py" line="47" />
        <source>态势</source>
        <translation>Situation</translation>
    </message>
    <message>
        <location filename="../../desk/ui/panels/registry.py" line="41" />
        <source>告警</source>
        <translation>Alerts</translation>
    </message>
    <message>
        <location filename="../../desk/ui/app.py" line="471" />
        <source>演练控制</source>
        <translation>Drill control</translation>
    </message>
</context>
<context>
    <name>DrillBanner</name>
    <message>
        <location filename="../../desk/ui/drill/controls.py" line="75" />
        <source>演练 DRILL · 非实战</source>
        <translation>DRILL · not live</translation>
    </message>
</context>
<context>
    <name>DrillControls</name>
    <message>
        <location filename="../../desk/ui/drill/controls.py" line="144" />
        <source>演练时钟</source>
        <translation>Drill clock</translation>
    </message>
    <message>
        <location filename="../../desk/ui/drill/controls.py" line="157" />
        <source>开始</source>
        <translation>Start</translation>
    </message>
    <message>
        <location filename="../../desk/ui/drill/controls.py" line="158" />
        <location filename="../../desk/ui/drill/controls.py" line="393" />
        <source>暂停</source>
        <translation>Pause</translation>
    </message>
    <message>
        <location filename="../../desk/ui/drill/controls.py" line="159" />
        <source>下一注入</source>
        <translation>Next inject</translation>
    </message>
    <message>
        <location filename="../../desk/ui/drill/controls.py" line="160" />
        <source>结束演练</source>
        <translation>End drill</translation>
    </message>
    <message>
        <location filename="../../desk/ui/drill/controls.py" line="161" />
        <source>回放…</source>
        <translation>Replay…</translation>
    </message>
    <message>
        <location filename="../../desk/ui/drill/controls.py" line="162" />
        <source>演练结束后按时间线回放，用于讲评</source>
        <translation>Replay the drill timeline for the debrief once it has finished</translation>
    </message>
    <message>
        <location filename="../../desk/ui/drill/controls.py" line="168" />
        <source>速度</source>
        <translation>Speed</translation>
    </message>
    <message>
        <location filename="../../desk/ui/drill/controls.py" line="184" />
        <source>已触发的注入</source>
        <translation>Fired injects</translation>
    </message>
    <message>
        <location filename="../../desk/ui/drill/controls.py" line="188" />
        <source>记录学员处置</source>
        <translation>Log trainee actions</translation>
    </message>
    <message>
        <location filename="../../desk/ui/drill/controls.py" line="194" />
        <source>对象：点位/单元/案件/责任人</source>
        <translation>Target: point/unit/case/contact</translation>
    </message>
    <message>
        <location filename="../../desk/ui/drill/controls.py" line="195" />
        <source>记录</source>
        <translation>Log</translation>
    </message>
    <message>
        <location filename="../../desk/ui/drill/controls.py" line="203" />
        <source>经验教训</source>
        <translation>Lessons learned</translation>
    </message>
    <message>
        <location filename="../../desk/ui/drill/controls.py" line="206" />
        <source>演练结束后填写：做得好的、需要改进的、预案修订建议</source>
        <translation>After the drill: what went well, what to improve, plan changes</translation>
    </message>
    <message>
        <location filename="../../desk/ui/drill/controls.py" line="209" />
        <source>保存经验教训</source>
        <translation>Save lessons</translation>
    </message>
    <message>
        <location filename="../../desk/ui/drill/controls.py" line="210" />
        <source>导出总结报告…</source>
        <translation>Export report…</translation>
    </message>
    <message>
        <location filename="../../desk/ui/drill/controls.py" line="276" />
        <source>得分：{0:.1f}</source>
        <translation>Score: {0:.1f}</translation>
    </message>
    <message>
        <location filename="../../desk/ui/drill/controls.py" line="283" />
        <source>演练结束后才能回放</source>
        <translation>The replay is available once the drill has finished</translation>
    </message>
    <message>
        <location filename="../../desk/ui/drill/controls.py" line="297" />
        <source>演练未在进行中，无法记录处置</source>
        <translation>The drill is not running: cannot log actions</translation>
    </message>
    <message>
        <location filename="../../desk/ui/drill/controls.py" line="305" />
        <source>已记录：{0} {1}</source>
        <translation>Logged: {0} {1}</translation>
    </message>
    <message>
        <location filename="../../desk/ui/drill/controls.py" line="312" />
        <source>经验教训已保存</source>
        <translation>Lessons saved</translation>
    </message>
    <message>
        <location filename="../../desk/ui/drill/controls.py" line="323" />
        <source>报告导出失败：{0}</source>
        <translation>Report export failed: {0}</translation>
    </message>
    <message>
        <location filename="../../desk/ui/drill/controls.py" line="326" />
        <source>正在生成总结报告…</source>
        <translation>Generating the report…</translation>
    </message>
    <message>
        <location filename="../../desk/ui/drill/controls.py" line="333" />
        <source>导出演练总结报告</source>
        <translation>Export drill report</translation>
    </message>
    <message>
        <location filename="../../desk/ui/drill/controls.py" line="342" />
        <source>总结报告已导出：{0}</source>
        <translation>Report exported: {0}</translation>
    </message>
    <message>
        <location filename="../../desk/ui/drill/controls.py" line="348" />
        <source>请填写处置对象</source>
        <translation>Enter the action target</translation>
    </message>
    <message>
        <location filename="../../desk/ui/drill/controls.py" line="381" />
        <source>未开始</source>
        <translation>Not started</translation>
    </message>
    <message>
        <location filename="../../desk/ui/drill/controls.py" line="381" />
        <source>进行中</source>
        <translation>Running</translation>
    </message>
    <message>
        <location filename="../../desk/ui/drill/controls.py" line="382" />
        <source>已暂停</source>
        <translation>Paused</translation>
    </message>
    <message>
        <location filename="../../desk/ui/drill/controls.py" line="382" />
        <source>已结束</source>
        <translation>Finished</translation>
    </message>
    <message>
        <location filename="../../desk/ui/drill/controls.py" line="386" />
        <source>没有待触发的注入</source>
        <translation>No injects pending</translation>
    </message>
    <message>
        <location filename="../../desk/ui/drill/controls.py" line="388" />
        <source>下一注入：{0} {1}</source>
        <translation>Next inject: {0} {1}</translation>
    </message>
    <message>
        <location filename="../../desk/ui/drill/controls.py" line="394" />
        <source>继续</source>
        <translation>Resume</translation>
    </message>
</context>
<context>
    <name>DrillReplayWindow</name>
    <message>
        <location filename="../../desk/ui/drill/replay.py" line="116" />
        <source>演练回放 DRILL REPLAY · 非实战</source>
        <translation>DRILL REPLAY · not a real incident</translation>
    </message>
    <message>
        <location filename="../../desk/ui/drill/replay.py" line="120" />
        <source>回放时钟</source>
        <translation>Replay clock</translation>
    </message>
    <message>
        <location filename="../../desk/ui/drill/replay.py" line="133" />
        <source>拖动以跳转到演练的任一时刻</source>
        <translation>Drag to jump to any moment of the drill</translation>
    </message>
    <message>
        <location filename="../../desk/ui/drill/replay.py" line="138" />
        <location filename="../../desk/ui/drill/replay.py" line="280" />
        <source>播放</source>
        <translation>Play</translation>
    </message>
    <message>
        <location filename="../../desk/ui/drill/replay.py" line="141" />
        <source>速度</source>
        <translation>Speed</translation>
    </message>
    <message>
        <location filename="../../desk/ui/drill/replay.py" line="156" />
        <source>时间线（注入与学员处置）</source>
        <translation>Timeline (injects and trainee actions)</translation>
    </message>
    <message>
        <location filename="../../desk/ui/drill/replay.py" line="165" />
        <source>截至当前的评分</source>
        <translation>Score so far</translation>
    </message>
    <message>
        <location filename="../../desk/ui/drill/replay.py" line="237" />
        <source>注入</source>
        <translation>Inject</translation>
    </message>
    <message>
        <location filename="../../desk/ui/drill/replay.py" line="237" />
        <source>处置</source>
        <translation>resolve</translation>
    </message>
    <message>
        <location filename="../../desk/ui/drill/replay.py" line="274" />
        <source>未开始</source>
        <translation>Not started</translation>
    </message>
    <message>
        <location filename="../../desk/ui/drill/replay.py" line="274" />
        <source>回放中</source>
        <translation>Replaying</translation>
    </message>
    <message>
        <location filename="../../desk/ui/drill/replay.py" line="275" />
        <source>已暂停</source>
        <translation>Paused</translation>
    </message>
    <message>
        <location filename="../../desk/ui/drill/replay.py" line="275" />
        <source>回放结束</source>
        <translation>Replay ended</translation>
    </message>
    <message>
        <location filename="../../desk/ui/drill/replay.py" line="278" />
        <source>全长 {0} · 共 {1} 条记录</source>
        <translation>Length {0} · {1} entries</translation>
    </message>
    <message>
        <location filename="../../desk/ui/drill/replay.py" line="280" />
        <source>暂停</source>
        <translation>Pause</translation>
    </message>
    <message>
        <location filename="../../desk/ui/drill/replay.py" line="172" />
        <location filename="../../desk/ui/drill/replay.py" line="288" />
        <source>得分 {0:.1f}</source>
        <translation>Score {0:.1f}</translation>
    </message>
    <message>
        <location filename="../../desk/ui/drill/replay.py" line="289" />
        <source>得分 —</source>
        <translation>Score —</translation>
    </message>
    <message>
        <location filename="../../desk/ui/drill/replay.py" line="291" />
        <source>按时完成 {0} · 超时完成 {1} · 未完成 {2} · 待完成 {3}（得 {4:g} / {5:g} 分）</source>
        <translation>Met {0} · late {1} · missed {2} · pending {3} ({4:g} / {5:g} points)</translation>
    </message>
</context>
<context>
    <name>DutyBoardPanel</name>
    <message>
        <location filename="../../desk/ui/duty/panel.py" line="239" />
        <source>周视图</source>
        <extracomment>``threading.get_ident()`` of the thread that ran the work (tests check it is not the GUI). Asks for the reason of a change to a published week; returns None when cancelled. Asks the user to confirm publishing (the question names the stations and the count). Asks for a file path: (title, filter, save) → path or None. The last import/export job started (tests read its ``thread_ident``).</extracomment>
        <translation>Week</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/panel.py" line="240" />
        <source>日视图</source>
        <translation>Day</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/panel.py" line="245" />
        <source>上一日/上一周</source>
        <translation>Previous day/week</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/panel.py" line="257" />
        <source>下一日/下一周</source>
        <translation>Next day/week</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/panel.py" line="263" />
        <source>按单位筛选</source>
        <translation>Filter by station</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/panel.py" line="268" />
        <source>按技能筛选民警和岗位</source>
        <translation>Filter officers and posts by skill</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/panel.py" line="269" />
        <source>全部技能</source>
        <translation>All skills</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/panel.py" line="291" />
        <source>自动排班</source>
        <translation>Auto-roster</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/panel.py" line="292" />
        <source>重排未锁定</source>
        <translation>Re-plan unlocked</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/panel.py" line="293" />
        <source>勾选后重新安排未锁定的排班，只保留锁定的</source>
        <translation>When checked, re-plan unlocked shifts and keep only locked ones</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/panel.py" line="295" />
        <source>复制上周</source>
        <translation>Copy last week</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/panel.py" line="296" />
        <location filename="../../desk/ui/duty/panel.py" line="759" />
        <source>发布</source>
        <translation>Publish</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/panel.py" line="297" />
        <source>发布本周排班（先确认单位数与排班条数）</source>
        <translation>Publish this week's roster (asks first, with the station and assignment count)</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/panel.py" line="304" />
        <source>导出PDF</source>
        <translation>Export PDF</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/panel.py" line="305" />
        <source>导出Excel</source>
        <translation>Export Excel</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/panel.py" line="306" />
        <source>导入Excel</source>
        <translation>Import Excel</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/panel.py" line="308" />
        <source>排班设置</source>
        <translation>Duty settings</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/panel.py" line="309" />
        <source>请假/不可用、岗位需求、班次模板</source>
        <translation>Leave / unavailability, post requirements, shift templates</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/panel.py" line="336" />
        <source>搜索民警姓名或警号</source>
        <translation>Search officer name or badge no.</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/panel.py" line="338" />
        <source>警力（拖到岗位上排班）</source>
        <translation>Officers (drag onto a post)</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/panel.py" line="400" />
        <source>冲突说明</source>
        <translation>Conflicts</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/panel.py" line="401" />
        <source>无法排满的岗位与原因</source>
        <translation>Unfilled posts and why</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/panel.py" line="402" />
        <source>排班结果</source>
        <translation>Results</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/panel.py" line="404" />
        <location filename="../../desk/ui/duty/panel.py" line="421" />
        <source>民警</source>
        <translation>Officer</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/panel.py" line="404" />
        <source>岗位</source>
        <translation>Post</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/panel.py" line="404" />
        <source>说明</source>
        <translation>Note</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/panel.py" line="404" />
        <source>类型</source>
        <translation>Kind</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/panel.py" line="412" />
        <source>立即核查</source>
        <translation>Check now</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/panel.py" line="413" />
        <source>按当前定位核查在岗民警（系统每分钟自动核查一次）</source>
        <translation>Check the officers on duty against their current positions (checked automatically every minute)</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/panel.py" line="416" />
        <source>督导</source>
        <translation>Supervision</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/panel.py" line="421" />
        <source>变更</source>
        <translation>Change</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/panel.py" line="421" />
        <source>原因</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/panel.py" line="423" />
        <source>全部标记为已通知</source>
        <translation>Mark all notified</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/panel.py" line="426" />
        <source>待通知</source>
        <translation>To notify</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/panel.py" line="427" />
        <source>导入错误</source>
        <translation>Import errors</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/panel.py" line="428" />
        <source>导入结果</source>
        <translation>Import</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/panel.py" line="478" />
        <source>全部单位</source>
        <translation>All stations</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/panel.py" line="556" />
        <source>没有冲突</source>
        <translation>No conflicts</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/panel.py" line="564" />
        <source>已发布</source>
        <translation>Published</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/panel.py" line="565" />
        <source>部分已发布</source>
        <translation>Partly published</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/panel.py" line="565" />
        <source>草稿</source>
        <translation>Draft</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/panel.py" line="567" />
        <source>【演练】</source>
        <translation>[DRILL] </translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/panel.py" line="570" />
        <source>硬约束 {0} · 缺岗 {1} · 软约束 {2} · 扣分 {3}</source>
        <translation>Hard {0} · Unfilled {1} · Soft {2} · Penalty {3}</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/panel.py" line="607" />
        <source>已发布的排班未修改：需要填写变更原因</source>
        <translation>Published roster not changed: a reason is required</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/panel.py" line="611" />
        <source>已记录变更原因，相关民警待通知</source>
        <translation>Reason recorded; officers concerned to be notified</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/panel.py" line="664" />
        <source>该民警不在当前筛选的单位内，无法排到此岗位</source>
        <translation>This officer is not in the selected station and cannot take this post</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/panel.py" line="670" />
        <source>已排班：{0} {1} {2}</source>
        <translation>Rostered: {0} {1} {2}</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/panel.py" line="681" />
        <source>上周没有可复制的排班</source>
        <translation>Nothing to copy from last week</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/panel.py" line="684" />
        <source>已复制上周排班 {0} 条</source>
        <translation>Copied {0} shift(s) from last week</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/panel.py" line="702" />
        <source>自动排班计算中…</source>
        <translation>Auto-rostering…</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/panel.py" line="718" />
        <source>自动排班失败：{0}</source>
        <translation>Auto-roster failed: {0}</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/panel.py" line="728" />
        <source>自动排班：新增 {0} 条</source>
        <translation>Auto-roster: {0} added</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/panel.py" line="730" />
        <source>，重排 {0} 条</source>
        <translation>, {0} re-planned</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/panel.py" line="732" />
        <source>；{0} 个时段无法排满，原因见“排班结果”</source>
        <translation>; {0} slot(s) unfilled, see “Results”</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/panel.py" line="735" />
        <source>；全部岗位已排满，无硬约束冲突</source>
        <translation>; all posts filled, no hard conflicts</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/panel.py" line="750" />
        <source>全部 {0} 个单位</source>
        <translation>all {0} stations</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/panel.py" line="751" />
        <source>发布{0} {1}月{2}日起一周的排班，共 {3} 条？</source>
        <translation>Publish the roster of {0} for the week from {1}/{2}, {3} assignments?</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/panel.py" line="753" />
        <source>发布后，民警按此上岗；再修改须填写原因并通知相关民警。</source>
        <translation>Once published, officers work to it; later changes need a reason and the officers are told.</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/panel.py" line="757" />
        <source>确认发布</source>
        <translation>Confirm publishing</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/panel.py" line="760" />
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/panel.py" line="769" />
        <source>没有可发布的单位</source>
        <translation>No station to publish</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/panel.py" line="772" />
        <source>未发布（已取消）</source>
        <translation>Not published (cancelled)</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/panel.py" line="789" />
        <source>未发布 — </source>
        <translation>Not published — </translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/panel.py" line="791" />
        <source>已发布：</source>
        <translation>Published: </translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/panel.py" line="804" />
        <source>变更原因</source>
        <translation>Reason for change</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/panel.py" line="805" />
        <source>该周排班已发布。请填写“{0}”的原因：</source>
        <translation>This week is published. Reason for “{0}”: </translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/panel.py" line="811" />
        <source>上一个文件任务仍在进行，请稍候</source>
        <translation>The previous file task is still running, please wait</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/panel.py" line="823" />
        <source>{0}进行中…</source>
        <translation>{0} in progress…</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/panel.py" line="848" />
        <source>{0}失败：{1}</source>
        <translation>{0} failed: {1}</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/panel.py" line="858" />
        <source>请先在“单位”中选择一个单位再导出</source>
        <translation>Select one station first, then export</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/panel.py" line="862" />
        <source>导出排班表</source>
        <translation>Export roster</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/panel.py" line="910" />
        <source>导入</source>
        <translation>Import</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/panel.py" line="920" />
        <source>督导核查失败，详情见日志</source>
        <translation>Supervision check failed; see the log</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/panel.py" line="928" />
        <source>脱岗</source>
        <translation>Away from post</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/panel.py" line="928" />
        <source>未到岗</source>
        <translation>Not arrived</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/panel.py" line="929" />
        <source>无定位</source>
        <translation>No position</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/panel.py" line="934" />
        <source>在岗民警均正常</source>
        <translation>All officers on duty are where they should be</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/panel.py" line="935" />
        <source>需核查 {0} 人</source>
        <translation>{0} officer(s) to check</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/panel.py" line="881" />
        <source>已导出 {0} 条排班到 {1}</source>
        <translation>Exported {0} shift(s) to {1}</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/panel.py" line="276" />
        <source>撤销</source>
        <comment>undo</comment>
        <translation>Undo</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/panel.py" line="279" />
        <source>重做</source>
        <comment>redo</comment>
        <translation>Redo</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/panel.py" line="284" />
        <source>撤销上一步排班修改（Ctrl+Z）</source>
        <translation>Undo the last roster change (Ctrl+Z)</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/panel.py" line="285" />
        <source>重做撤销的修改（Ctrl+Y）</source>
        <translation>Redo the undone change (Ctrl+Y)</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/panel.py" line="883" />
        <source>导出</source>
        <translation>Export</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/panel.py" line="888" />
        <source>导入民警与岗位</source>
        <translation>Import officers and posts</translation>
    </message>
</context>
<context>
    <name>DutySettingsDialog</name>
    <message>
        <location filename="../../desk/ui/duty/settings.py" line="83" />
        <source>排班设置</source>
        <extracomment>China Standard Time for the date-time editors (the whole duty model is in CST).</extracomment>
        <translation>Duty settings</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/settings.py" line="87" />
        <source>请假/不可用</source>
        <translation>Leave / unavailable</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/settings.py" line="88" />
        <source>岗位需求</source>
        <translation>Post requirements</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/settings.py" line="89" />
        <source>班次模板</source>
        <translation>Shift templates</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/settings.py" line="90" />
        <source>勤务等级</source>
        <translation>Duty level</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/settings.py" line="103" />
        <location filename="../../desk/ui/duty/settings.py" line="111" />
        <source>民警</source>
        <translation>Officer</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/settings.py" line="103" />
        <location filename="../../desk/ui/duty/settings.py" line="206" />
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/settings.py" line="103" />
        <location filename="../../desk/ui/duty/settings.py" line="129" />
        <source>原因</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/settings.py" line="123" />
        <location filename="../../desk/ui/duty/settings.py" line="230" />
        <location filename="../../desk/ui/duty/settings.py" line="266" />
        <source>至</source>
        <translation>to</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/settings.py" line="125" />
        <location filename="../../desk/ui/duty/settings.py" line="232" />
        <source>起止</source>
        <translation>From – to</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/settings.py" line="132" />
        <source>添加请假</source>
        <translation>Add leave</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/settings.py" line="134" />
        <location filename="../../desk/ui/duty/settings.py" line="189" />
        <location filename="../../desk/ui/duty/settings.py" line="277" />
        <source>删除所选</source>
        <translation>Delete selected</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/settings.py" line="146" />
        <source>岗位</source>
        <translation>Post</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/settings.py" line="154" />
        <location filename="../../desk/ui/duty/settings.py" line="162" />
        <source>班次</source>
        <translation>Shift</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/settings.py" line="154" />
        <location filename="../../desk/ui/duty/settings.py" line="166" />
        <source>最少人数</source>
        <translation>Minimum staff</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/settings.py" line="154" />
        <location filename="../../desk/ui/duty/settings.py" line="174" />
        <source>所需技能</source>
        <translation>Required skills</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/settings.py" line="154" />
        <location filename="../../desk/ui/duty/settings.py" line="183" />
        <source>适用日</source>
        <translation>Applies on</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/settings.py" line="186" />
        <source>保存需求</source>
        <translation>Save requirement</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/settings.py" line="187" />
        <source>该岗位已有此班次的需求时修改它，否则新增</source>
        <translation>Changes this post's requirement for the shift if there is one, otherwise adds it</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/settings.py" line="201" />
        <source>重大安保、警卫任务期间，所选单位的岗位所需警力按等级提高（一级加倍，二级×1.5，三级×1.25，向上取整）。</source>
        <translation>During a major security or escort task, the posts of the chosen station need more officers by level (level 1 doubles, level 2 ×1.5, level 3 ×1.25, rounded up).</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/settings.py" line="206" />
        <location filename="../../desk/ui/duty/settings.py" line="213" />
        <source>任务</source>
        <translation>Task</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/settings.py" line="206" />
        <location filename="../../desk/ui/duty/settings.py" line="218" />
        <source>等级</source>
        <translation>Level</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/settings.py" line="206" />
        <location filename="../../desk/ui/duty/settings.py" line="234" />
        <source>范围</source>
        <translation>Area</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/settings.py" line="212" />
        <source>如：国际马拉松安保</source>
        <translation>e.g. marathon security</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/settings.py" line="215" />
        <source>一级（最高）</source>
        <translation>Level 1 (highest)</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/settings.py" line="216" />
        <source>二级</source>
        <translation>Level 2</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/settings.py" line="217" />
        <source>三级</source>
        <translation>Level 3</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/settings.py" line="237" />
        <source>设置勤务等级</source>
        <translation>Set duty level</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/settings.py" line="239" />
        <source>取消所选等级</source>
        <translation>Cancel the selected level</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/settings.py" line="250" />
        <location filename="../../desk/ui/duty/settings.py" line="259" />
        <source>名称</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/settings.py" line="250" />
        <source>开始</source>
        <translation>Start</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/settings.py" line="250" />
        <source>结束</source>
        <translation>End</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/settings.py" line="258" />
        <source>例如：午高峰</source>
        <translation>e.g. Midday peak</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/settings.py" line="268" />
        <source>（结束早于开始即跨到次日）</source>
        <translation>(an end before the start runs into the next day)</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/settings.py" line="270" />
        <source>时段</source>
        <translation>Time band</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/settings.py" line="273" />
        <source>新增班次</source>
        <translation>New shift</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/settings.py" line="275" />
        <source>修改所选</source>
        <translation>Change selected</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/settings.py" line="307" />
        <location filename="../../desk/ui/duty/settings.py" line="312" />
        <source>全部单位</source>
        <translation>All stations</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/settings.py" line="342" />
        <source>无</source>
        <translation>None</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/settings.py" line="343" />
        <source>每天</source>
        <translation>Every day</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/settings.py" line="378" />
        <source>已保存：{0}</source>
        <translation>Saved: {0}</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/settings.py" line="394" />
        <source>请从列表中选择民警</source>
        <translation>Please pick an officer from the list</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/settings.py" line="414" />
        <source>请先在列表中选择一个勤务等级</source>
        <translation>Select a duty level in the list first</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/settings.py" line="422" />
        <source>请先在列表中选择一条请假记录</source>
        <translation>Select a leave entry in the list first</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/settings.py" line="431" />
        <source>请选择岗位和班次</source>
        <translation>Please choose a post and a shift</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/settings.py" line="444" />
        <source>请先在列表中选择一条需求</source>
        <translation>Select a requirement in the list first</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/settings.py" line="452" />
        <source>请先在列表中选择要修改的班次</source>
        <translation>Select the shift to change in the list first</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/settings.py" line="466" />
        <source>请先在列表中选择要删除的班次</source>
        <translation>Select the shift to delete in the list first</translation>
    </message>
</context>
<context>
    <name>DutyTimeline</name>
    <message>
        <location filename="../../desk/ui/duty/timeline.py" line="296" />
        <source>岗位 \ 时间</source>
        <translation>Post \ Time</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/timeline.py" line="512" />
        <source>解除锁定</source>
        <translation>Unlock</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/timeline.py" line="512" />
        <source>锁定（自动排班不改动）</source>
        <translation>Lock (auto-roster keeps it)</translation>
    </message>
    <message>
        <location filename="../../desk/ui/duty/timeline.py" line="513" />
        <source>删除排班</source>
        <translation>Delete shift</translation>
    </message>
</context>
<context>
    <name>EvidenceViewer</name>
    <message>
        <location filename="../../desk/ui/accidents/evidence_view.py" line="93" />
        <source>用外部程序打开</source>
        <translation>Open externally</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/evidence_view.py" line="106" />
        <source>添加证据…</source>
        <translation>Add evidence…</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/evidence_view.py" line="110" />
        <source>适应窗口</source>
        <translation>Fit</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/evidence_view.py" line="149" />
        <source>尚无证据。需要：车前侧、车后侧、碰撞部位照片。</source>
        <translation>No evidence yet. Needed: photos of vehicle front, rear and impact points.</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/evidence_view.py" line="165" />
        <source>证据文件缺失：{0}</source>
        <translation>Evidence file missing: {0}</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/evidence_view.py" line="173" />
        <source>无法显示该文件：{0}</source>
        <translation>Cannot display this file: {0}</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/evidence_view.py" line="186" />
        <source>本机缺少视频播放组件或解码器，无法在此播放：{0}</source>
        <translation>No video player or codec on this machine, cannot play here: {0}</translation>
    </message>
</context>
<context>
    <name>JobHealthWidget</name>
    <message>
        <location filename="../../desk/ui/runtime_status.py" line="31" />
        <source>运行中</source>
        <translation>Running</translation>
    </message>
    <message>
        <location filename="../../desk/ui/runtime_status.py" line="31" />
        <source>已停止</source>
        <translation>Stopped</translation>
    </message>
    <message>
        <location filename="../../desk/ui/runtime_status.py" line="32" />
        <source>故障</source>
        <translation>Failing</translation>
    </message>
    <message>
        <location filename="../../desk/ui/runtime_status.py" line="41" />
        <source>后台任务故障：%1</source>
        <translation>Background job failing: %1</translation>
    </message>
    <message>
        <location filename="../../desk/ui/runtime_status.py" line="44" />
        <source>后台任务 %1 项运行</source>
        <translation>%1 background jobs running</translation>
    </message>
</context>
<context>
    <name>KpiView</name>
    <message>
        <location filename="../../desk/ui/accidents/kpi_view.py" line="81" />
        <source>今日事故</source>
        <translation>Cases today</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/kpi_view.py" line="81" />
        <source>快处率</source>
        <translation>Quick-handled</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/kpi_view.py" line="82" />
        <source>受理用时中位数</source>
        <translation>Median to accept</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/kpi_view.py" line="82" />
        <source>定责用时中位数</source>
        <translation>Median to decide</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/kpi_view.py" line="83" />
        <source>当前未结</source>
        <translation>Open now</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/kpi_view.py" line="83" />
        <source>转现场处理（简易程序）</source>
        <translation>To the scene (simplified procedure)</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/kpi_view.py" line="84" />
        <source>转一般程序</source>
        <translation>Ordinary</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/kpi_view.py" line="92" />
        <source>今日各时段报警数</source>
        <translation>Reports by hour today</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/kpi_view.py" line="99" />
        <source>导出日报 PDF…</source>
        <translation>Export daily PDF…</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/kpi_view.py" line="135" />
        <source>目标：{0}分钟内受理，{1}分钟内定责</source>
        <translation>Target: accept within {0} min, decide within {1} min</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/kpi_view.py" line="154" />
        <source>导出日报</source>
        <translation>Export daily report</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../desk/ui/main_window.py" line="81" />
        <source>主工具栏</source>
        <extracomment>Bump when the dock set changes so an old saved layout is not applied to a different window. Panels built with the window; the others are built just after it shows. Build the other panels this long after showing even when the map page has not said it loaded. Set by the application shell: opens another workspace in place (``open_workspace``). Asks a yes/no question; tests replace it (a modal box would block them). Close without asking (the shell switching workspaces, --quit-after, tests).</extracomment>
        <translation>Main toolbar</translation>
    </message>
    <message>
        <location filename="../../desk/ui/main_window.py" line="132" />
        <source>加载中…</source>
        <translation>Loading…</translation>
    </message>
    <message>
        <location filename="../../desk/ui/main_window.py" line="218" />
        <source>面板加载失败：%1，详情见日志</source>
        <translation>Panel failed to load: %1, see the log</translation>
    </message>
    <message>
        <location filename="../../desk/ui/main_window.py" line="274" />
        <location filename="../../desk/ui/main_window.py" line="451" />
        <source>工作区：</source>
        <translation>Workspace: </translation>
    </message>
    <message>
        <location filename="../../desk/ui/main_window.py" line="297" />
        <source>本地模式</source>
        <translation>Local mode</translation>
    </message>
    <message>
        <location filename="../../desk/ui/main_window.py" line="304" />
        <source>同步不可用</source>
        <translation>Sync unavailable</translation>
    </message>
    <message>
        <location filename="../../desk/ui/main_window.py" line="315" />
        <source>交管指挥桌面</source>
        <translation>Traffic Control Desk</translation>
    </message>
    <message>
        <location filename="../../desk/ui/main_window.py" line="353" />
        <location filename="../../desk/ui/main_window.py" line="360" />
        <source>打开工作区</source>
        <translation>Open workspace</translation>
    </message>
    <message>
        <location filename="../../desk/ui/main_window.py" line="354" />
        <source>desk 工作区 (*.sqlite *.db);;所有文件 (*)</source>
        <translation>desk workspaces (*.sqlite *.db);;All files (*)</translation>
    </message>
    <message>
        <location filename="../../desk/ui/main_window.py" line="361" />
        <source>请以 desk --db 指定的路径重新启动以打开该工作区：</source>
        <translation>Restart with desk --db to open this workspace:</translation>
    </message>
    <message>
        <location filename="../../desk/ui/main_window.py" line="377" />
        <source>交接班完成，当前值班员：%1</source>
        <translation>Handover done; operator on duty: %1</translation>
    </message>
    <message>
        <location filename="../../desk/ui/main_window.py" line="389" />
        <location filename="../../desk/ui/main_window.py" line="392" />
        <source>日志</source>
        <translation>Log</translation>
    </message>
    <message>
        <location filename="../../desk/ui/main_window.py" line="389" />
        <source>本次运行未写日志文件（日志输出到终端）</source>
        <translation>No log file in this run (logging goes to the terminal)</translation>
    </message>
    <message>
        <location filename="../../desk/ui/main_window.py" line="392" />
        <source>日志文件：</source>
        <translation>Log file:</translation>
    </message>
    <message>
        <location filename="../../desk/ui/main_window.py" line="449" />
        <source>关于 desk</source>
        <translation>About desk</translation>
    </message>
    <message>
        <location filename="../../desk/ui/main_window.py" line="450" />
        <source>交管指挥桌面 desk</source>
        <translation>Traffic Control Desk (desk)</translation>
    </message>
    <message>
        <location filename="../../desk/ui/main_window.py" line="452" />
        <source>数据结构版本：</source>
        <translation>Schema version: </translation>
    </message>
    <message>
        <location filename="../../desk/ui/main_window.py" line="509" />
        <source>退出</source>
        <translation>Quit</translation>
    </message>
    <message>
        <location filename="../../desk/ui/main_window.py" line="510" />
        <source>还有 %1 条红色告警未处置。确定退出 desk 吗？</source>
        <translation>%1 red alerts are still open. Quit desk anyway?</translation>
    </message>
</context>
<context>
    <name>MapPanel</name>
    <message>
        <location filename="../../desk/ui/map/panel.py" line="142" />
        <source>搜索：呼号 / 摄像头编号 / 积水点 / 道路</source>
        <extracomment>Entity (table) names other panels use in sig_focus_requested → map layer. The officer whose assignment is ringed on the map (duty board selection), if any.</extracomment>
        <translation>Search: call sign/camera/point/road</translation>
    </message>
    <message>
        <location filename="../../desk/ui/map/panel.py" line="154" />
        <source>图层</source>
        <translation>Layers</translation>
    </message>
    <message>
        <location filename="../../desk/ui/map/panel.py" line="157" />
        <source>警力</source>
        <translation>Units</translation>
    </message>
    <message>
        <location filename="../../desk/ui/map/panel.py" line="157" />
        <source>视频监控</source>
        <translation>Cameras</translation>
    </message>
    <message>
        <location filename="../../desk/ui/map/panel.py" line="158" />
        <source>积水监测点</source>
        <translation>Water points</translation>
    </message>
    <message>
        <location filename="../../desk/ui/map/panel.py" line="158" />
        <source>警情/事故</source>
        <translation>Incidents</translation>
    </message>
    <message>
        <location filename="../../desk/ui/map/panel.py" line="159" />
        <source>勤务岗位</source>
        <translation>Duty posts</translation>
    </message>
    <message>
        <location filename="../../desk/ui/map/panel.py" line="159" />
        <source>数字警务室</source>
        <translation>Digital police rooms</translation>
    </message>
    <message>
        <location filename="../../desk/ui/map/panel.py" line="170" />
        <source>警力状态</source>
        <translation>Unit status</translation>
    </message>
    <message>
        <location filename="../../desk/ui/map/panel.py" line="181" />
        <source>摄像头：全部</source>
        <translation>Cameras: all</translation>
    </message>
    <message>
        <location filename="../../desk/ui/map/panel.py" line="182" />
        <source>摄像头：仅在线</source>
        <translation>Cameras: online</translation>
    </message>
    <message>
        <location filename="../../desk/ui/map/panel.py" line="183" />
        <source>摄像头：仅离线</source>
        <translation>Cameras: offline</translation>
    </message>
    <message>
        <location filename="../../desk/ui/map/panel.py" line="198" />
        <source>水深：</source>
        <translation>Depth: </translation>
    </message>
    <message>
        <location filename="../../desk/ui/map/panel.py" line="204" />
        <source>勤务岗位（当前）</source>
        <translation>Duty posts (now)</translation>
    </message>
    <message>
        <location filename="../../desk/ui/map/panel.py" line="206" />
        <location filename="../../desk/ui/map/panel.py" line="528" />
        <source>当前无需</source>
        <translation>Not needed now</translation>
    </message>
    <message>
        <location filename="../../desk/ui/map/panel.py" line="206" />
        <location filename="../../desk/ui/map/panel.py" line="528" />
        <source>满岗</source>
        <translation>Fully staffed</translation>
    </message>
    <message>
        <location filename="../../desk/ui/map/panel.py" line="206" />
        <location filename="../../desk/ui/map/panel.py" line="528" />
        <source>缺员</source>
        <translation>Short</translation>
    </message>
    <message>
        <location filename="../../desk/ui/map/panel.py" line="206" />
        <location filename="../../desk/ui/map/panel.py" line="528" />
        <source>空岗</source>
        <translation>Unstaffed</translation>
    </message>
    <message>
        <location filename="../../desk/ui/map/panel.py" line="218" />
        <location filename="../../desk/ui/map/panel.py" line="453" />
        <source>在勤务一张图中选中民警，地图标出其岗位。</source>
        <translation>Select an officer on the duty board to mark their post.</translation>
    </message>
    <message>
        <location filename="../../desk/ui/map/panel.py" line="223" />
        <source>清除民警标记</source>
        <translation>Clear officer mark</translation>
    </message>
    <message>
        <location filename="../../desk/ui/map/panel.py" line="229" />
        <source>详情</source>
        <translation>Details</translation>
    </message>
    <message>
        <location filename="../../desk/ui/map/panel.py" line="231" />
        <source>点击地图上的对象查看详情。</source>
        <translation>Click an object on the map for details.</translation>
    </message>
    <message>
        <location filename="../../desk/ui/map/panel.py" line="239" />
        <location filename="../../desk/ui/map/panel.py" line="536" />
        <location filename="../../desk/ui/map/panel.py" line="598" />
        <location filename="../../desk/ui/map/panel.py" line="602" />
        <source>跟随</source>
        <translation>Follow</translation>
    </message>
    <message>
        <location filename="../../desk/ui/map/panel.py" line="243" />
        <location filename="../../desk/ui/map/panel.py" line="617" />
        <source>最近警力</source>
        <translation>Nearest units</translation>
    </message>
    <message>
        <location filename="../../desk/ui/map/panel.py" line="247" />
        <source>派警…</source>
        <translation>Dispatch…</translation>
    </message>
    <message>
        <location filename="../../desk/ui/map/panel.py" line="251" />
        <source>改状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../desk/ui/map/panel.py" line="257" />
        <source>视频</source>
        <translation>Video</translation>
    </message>
    <message>
        <location filename="../../desk/ui/map/panel.py" line="264" />
        <source>最近警力（1、3、5 分钟）</source>
        <translation>Nearest units (1, 3, 5 min)</translation>
    </message>
    <message>
        <location filename="../../desk/ui/map/panel.py" line="271" />
        <source>清除范围圈</source>
        <translation>Clear rings</translation>
    </message>
    <message>
        <location filename="../../desk/ui/map/panel.py" line="394" />
        <source>满岗 {full}　缺员 {short}　空岗 {empty}　无需 {none}</source>
        <translation>Full {full}  Short {short}  Empty {empty}  Not needed {none}</translation>
    </message>
    <message>
        <location filename="../../desk/ui/map/panel.py" line="423" />
        <source>{name}：近 7 天没有排班。</source>
        <translation>{name}: no shift in the next 7 days.</translation>
    </message>
    <message>
        <location filename="../../desk/ui/map/panel.py" line="426" />
        <source>当前</source>
        <translation>Now</translation>
    </message>
    <message>
        <location filename="../../desk/ui/map/panel.py" line="426" />
        <source>下一班</source>
        <translation>Next shift</translation>
    </message>
    <message>
        <location filename="../../desk/ui/map/panel.py" line="442" />
        <source>所在警力：</source>
        <translation>Unit: </translation>
    </message>
    <message>
        <location filename="../../desk/ui/map/panel.py" line="467" />
        <source>该对象已不存在。</source>
        <translation>This object no longer exists.</translation>
    </message>
    <message>
        <location filename="../../desk/ui/map/panel.py" line="500" />
        <location filename="../../desk/ui/map/panel.py" line="509" />
        <location filename="../../desk/ui/map/panel.py" line="522" />
        <source>状态：</source>
        <translation>Status: </translation>
    </message>
    <message>
        <location filename="../../desk/ui/map/panel.py" line="501" />
        <source>定位：</source>
        <translation>Fix: </translation>
    </message>
    <message>
        <location filename="../../desk/ui/map/panel.py" line="501" />
        <source>过期</source>
        <translation>stale</translation>
    </message>
    <message>
        <location filename="../../desk/ui/map/panel.py" line="501" />
        <source>实时</source>
        <translation>live</translation>
    </message>
    <message>
        <location filename="../../desk/ui/map/panel.py" line="502" />
        <source>在线：</source>
        <translation>Online: </translation>
    </message>
    <message>
        <location filename="../../desk/ui/map/panel.py" line="502" />
        <source>是</source>
        <translation>Yes</translation>
    </message>
    <message>
        <location filename="../../desk/ui/map/panel.py" line="502" />
        <source>否</source>
        <translation>No</translation>
    </message>
    <message>
        <location filename="../../desk/ui/map/panel.py" line="504" />
        <source>速度：</source>
        <translation>Speed: </translation>
    </message>
    <message>
        <location filename="../../desk/ui/map/panel.py" line="507" />
        <source>编号：</source>
        <translation>ID: </translation>
    </message>
    <message>
        <location filename="../../desk/ui/map/panel.py" line="508" />
        <location filename="../../desk/ui/map/panel.py" line="751" />
        <source>道路：</source>
        <translation>Road: </translation>
    </message>
    <message>
        <location filename="../../desk/ui/map/panel.py" line="509" />
        <source>在线</source>
        <translation>Online</translation>
    </message>
    <message>
        <location filename="../../desk/ui/map/panel.py" line="509" />
        <source>离线</source>
        <translation>Offline</translation>
    </message>
    <message>
        <location filename="../../desk/ui/map/panel.py" line="517" />
        <source>最新水深：</source>
        <translation>Latest depth: </translation>
    </message>
    <message>
        <location filename="../../desk/ui/map/panel.py" line="518" />
        <source>阈值：</source>
        <translation>Thresholds: </translation>
    </message>
    <message>
        <location filename="../../desk/ui/map/panel.py" line="523" />
        <location filename="../../desk/ui/map/panel.py" line="755" />
        <source>地点：</source>
        <translation>Place: </translation>
    </message>
    <message>
        <location filename="../../desk/ui/map/panel.py" line="530" />
        <source>当前：</source>
        <translation>Now: </translation>
    </message>
    <message>
        <location filename="../../desk/ui/map/panel.py" line="536" />
        <location filename="../../desk/ui/map/panel.py" line="598" />
        <source>停止跟随</source>
        <translation>Stop following</translation>
    </message>
    <message>
        <location filename="../../desk/ui/map/panel.py" line="615" />
        <source>新建警情/事故</source>
        <translation>New incident</translation>
    </message>
    <message>
        <location filename="../../desk/ui/map/panel.py" line="619" />
        <source>派警到此处…</source>
        <translation>Dispatch here…</translation>
    </message>
    <message>
        <location filename="../../desk/ui/map/panel.py" line="621" />
        <source>地图点位</source>
        <translation>Map point</translation>
    </message>
    <message>
        <location filename="../../desk/ui/map/panel.py" line="638" />
        <source>{cs}　{d:.0f} 米　约 {m:.1f} 分钟</source>
        <translation>{cs}  {d:.0f} m  ~{m:.1f} min</translation>
    </message>
    <message>
        <location filename="../../desk/ui/map/panel.py" line="640" />
        <source>（定位过期）</source>
        <translation> (stale fix)</translation>
    </message>
    <message>
        <location filename="../../desk/ui/map/panel.py" line="645" />
        <source>附近没有在岗警力</source>
        <translation>No units on duty nearby</translation>
    </message>
    <message>
        <location filename="../../desk/ui/map/panel.py" line="649" />
        <source>{n} 分钟</source>
        <translation>{n} min</translation>
    </message>
    <message>
        <location filename="../../desk/ui/map/panel.py" line="705" />
        <source>警力 </source>
        <translation>Unit </translation>
    </message>
    <message>
        <location filename="../../desk/ui/map/panel.py" line="708" />
        <source>积水点 </source>
        <translation>Water point </translation>
    </message>
    <message>
        <location filename="../../desk/ui/map/panel.py" line="710" />
        <source>道路 </source>
        <translation>Road </translation>
    </message>
    <message>
        <location filename="../../desk/ui/map/panel.py" line="712" />
        <source>地点 </source>
        <translation>Place </translation>
    </message>
    <message>
        <location filename="../../desk/ui/map/panel.py" line="713" />
        <source>警务室 </source>
        <translation>Police room </translation>
    </message>
    <message>
        <location filename="../../desk/ui/map/panel.py" line="713" />
        <source>岗位 </source>
        <translation>Post </translation>
    </message>
    <message>
        <location filename="../../desk/ui/map/panel.py" line="714" />
        <source>事故 </source>
        <translation>Incident </translation>
    </message>
    <message>
        <location filename="../../desk/ui/map/panel.py" line="721" />
        <source>摄像头 </source>
        <translation>Camera </translation>
    </message>
    <message>
        <location filename="../../desk/ui/map/panel.py" line="738" />
        <source>没有找到：</source>
        <translation>Not found: </translation>
    </message>
</context>
<context>
    <name>MapView</name>
    <message>
        <location filename="../../desk/ui/map/view.py" line="139" />
        <source>地图加载中…</source>
        <translation>Loading the map…</translation>
    </message>
</context>
<context>
    <name>Menus</name>
    <message>
        <location filename="../../desk/ui/actions.py" line="38" />
        <location filename="../../desk/ui/actions.py" line="40" />
        <location filename="../../desk/ui/actions.py" line="42" />
        <location filename="../../desk/ui/actions.py" line="44" />
        <location filename="../../desk/ui/actions.py" line="46" />
        <source>工作区</source>
        <translation>Workspace</translation>
    </message>
    <message>
        <location filename="../../desk/ui/actions.py" line="48" />
        <location filename="../../desk/ui/actions.py" line="50" />
        <source>视图</source>
        <translation>View</translation>
    </message>
    <message>
        <location filename="../../desk/ui/actions.py" line="52" />
        <location filename="../../desk/ui/actions.py" line="54" />
        <source>帮助</source>
        <translation>Help</translation>
    </message>
</context>
<context>
    <name>NearestCamerasWidget</name>
    <message>
        <location filename="../../desk/ui/water/camera.py" line="57" />
        <source>选择告警或监测点以查看附近摄像机</source>
        <translation>Select an alert or monitoring point to see nearby cameras</translation>
    </message>
    <message>
        <location filename="../../desk/ui/water/camera.py" line="61" />
        <source>摄像机</source>
        <translation>Camera</translation>
    </message>
    <message>
        <location filename="../../desk/ui/water/camera.py" line="61" />
        <source>距离</source>
        <translation>Distance</translation>
    </message>
    <message>
        <location filename="../../desk/ui/water/camera.py" line="61" />
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../desk/ui/water/camera.py" line="61" />
        <source>视频流</source>
        <translation>Stream</translation>
    </message>
    <message>
        <location filename="../../desk/ui/water/camera.py" line="69" />
        <source>视频墙</source>
        <translation>Video wall</translation>
    </message>
    <message>
        <location filename="../../desk/ui/water/camera.py" line="70" />
        <source>在视频墙上同时播放这些摄像机</source>
        <translation>Play these cameras together on a video wall</translation>
    </message>
    <message>
        <location filename="../../desk/ui/water/camera.py" line="72" />
        <source>打开视频</source>
        <translation>Open video</translation>
    </message>
    <message>
        <location filename="../../desk/ui/water/camera.py" line="82" />
        <source>该告警没有位置，无法查找附近摄像机</source>
        <translation>This alert has no location: cannot find nearby cameras</translation>
    </message>
    <message>
        <location filename="../../desk/ui/water/camera.py" line="86" />
        <source>附近摄像机：</source>
        <translation>Cameras near: </translation>
    </message>
    <message>
        <location filename="../../desk/ui/water/camera.py" line="87" />
        <source>2 公里内没有摄像机：</source>
        <translation>No cameras within 2 km of: </translation>
    </message>
    <message>
        <location filename="../../desk/ui/water/camera.py" line="90" />
        <source>在线</source>
        <translation>Online</translation>
    </message>
    <message>
        <location filename="../../desk/ui/water/camera.py" line="91" />
        <source>离线</source>
        <translation>Offline</translation>
    </message>
    <message>
        <location filename="../../desk/ui/water/camera.py" line="91" />
        <source>未配置</source>
        <translation>Not configured</translation>
    </message>
</context>
<context>
    <name>OfficialSignalDialog</name>
    <message>
        <location filename="../../desk/ui/water/banner.py" line="201" />
        <source>录入气象台预警信号</source>
        <translation>Record a warning signal of the meteorological office</translation>
    </message>
    <message>
        <location filename="../../desk/ui/water/banner.py" line="206" />
        <source>等级</source>
        <translation>Level</translation>
    </message>
    <message>
        <location filename="../../desk/ui/water/banner.py" line="208" />
        <source>发布单位</source>
        <translation>Issued by</translation>
    </message>
    <message>
        <location filename="../../desk/ui/water/banner.py" line="211" />
        <source>发布时间</source>
        <translation>Issued at</translation>
    </message>
    <message>
        <location filename="../../desk/ui/water/banner.py" line="214" />
        <source>如：主城区、航空港区、上街区（空 = 全市）</source>
        <translation>e.g. 主城区、航空港区、上街区 (empty = whole city)</translation>
    </message>
    <message>
        <location filename="../../desk/ui/water/banner.py" line="216" />
        <source>预警区域</source>
        <translation>Areas</translation>
    </message>
    <message>
        <location filename="../../desk/ui/water/banner.py" line="230" />
        <source>请填写发布单位（气象台）</source>
        <translation>Enter the issuing office (meteorological office)</translation>
    </message>
</context>
<context>
    <name>OperatorDialog</name>
    <message>
        <location filename="../../desk/ui/operator_dialog.py" line="34" />
        <source>交接班</source>
        <translation>Shift handover</translation>
    </message>
    <message>
        <location filename="../../desk/ui/operator_dialog.py" line="34" />
        <source>值班员登录</source>
        <translation>Operator sign-on</translation>
    </message>
    <message>
        <location filename="../../desk/ui/operator_dialog.py" line="38" />
        <source>交班：%1（%2）</source>
        <translation>Handing over: %1 (%2)</translation>
    </message>
    <message>
        <location filename="../../desk/ui/operator_dialog.py" line="41" />
        <source>上一班交接说明：</source>
        <translation>Handover note from the last shift:</translation>
    </message>
    <message>
        <location filename="../../desk/ui/operator_dialog.py" line="48" />
        <source>警号或工号</source>
        <translation>Badge or staff number</translation>
    </message>
    <message>
        <location filename="../../desk/ui/operator_dialog.py" line="59" />
        <source>接班人工号</source>
        <translation>Incoming operator's staff number</translation>
    </message>
    <message>
        <location filename="../../desk/ui/operator_dialog.py" line="59" />
        <source>工号</source>
        <translation>Staff number</translation>
    </message>
    <message>
        <location filename="../../desk/ui/operator_dialog.py" line="60" />
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../desk/ui/operator_dialog.py" line="61" />
        <source>角色</source>
        <translation>Role</translation>
    </message>
    <message>
        <location filename="../../desk/ui/operator_dialog.py" line="65" />
        <source>交接说明：未办结的警情、待回访的案件、设备故障…</source>
        <translation>Handover note: open incidents, cases to follow up, broken equipment…</translation>
    </message>
</context>
<context>
    <name>OperatorLabel</name>
    <message>
        <location filename="../../desk/ui/runtime_status.py" line="80" />
        <source>值班员：未登录</source>
        <translation>Operator: not signed on</translation>
    </message>
    <message>
        <location filename="../../desk/ui/runtime_status.py" line="83" />
        <source>值班员：%1（%2）</source>
        <translation>Operator: %1 (%2)</translation>
    </message>
</context>
<context>
    <name>PartyForm</name>
    <message>
        <location filename="../../desk/ui/accidents/case_view.py" line="265" />
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/case_view.py" line="234" />
        <source>居民身份证号即驾驶证号</source>
        <translation>For a resident ID the licence number is the ID number</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/case_view.py" line="250" />
        <source>过错/违法行为（定责时写入认定书）</source>
        <translation>Fault / violation (printed on the decision)</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/case_view.py" line="252" />
        <source>法律依据</source>
        <translation>Legal basis</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/case_view.py" line="254" />
        <source>未确认</source>
        <translation>Not confirmed</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/case_view.py" line="258" />
        <source>拒绝签名</source>
        <translation>Refused to sign</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/case_view.py" line="266" />
        <source>证件类型</source>
        <translation>ID type</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/case_view.py" line="267" />
        <source>证件号码</source>
        <translation>ID number</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/case_view.py" line="268" />
        <source>驾驶证号</source>
        <translation>Licence number</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/case_view.py" line="269" />
        <source>准驾车型</source>
        <translation>Licence classes</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/case_view.py" line="270" />
        <source>电话</source>
        <translation>Phone</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/case_view.py" line="271" />
        <source>车辆类型</source>
        <translation>Vehicle</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/case_view.py" line="272" />
        <source>使用性质</source>
        <translation>Use</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/case_view.py" line="273" />
        <source>号牌</source>
        <translation>Plate</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/case_view.py" line="274" />
        <source>保险公司</source>
        <translation>Insurer</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/case_view.py" line="275" />
        <source>保单号</source>
        <translation>Policy no.</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/case_view.py" line="277" />
        <source>过错</source>
        <translation>Fault</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/case_view.py" line="278" />
        <source>依据</source>
        <translation>Basis</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/case_view.py" line="279" />
        <source>确认</source>
        <translation>Acknowledge</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/case_view.py" line="322" />
        <source>{0} 记录于 {1}（北京时间）</source>
        <translation>Recorded by {0} at {1} (China Standard Time)</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/case_view.py" line="332" />
        <source>本方为{0}</source>
        <translation>Is {0}</translation>
    </message>
    <message>
        <location filename="../../desk/ui/accidents/case_view.py" line="353" />
        <source>非机动车可不填</source>
        <translation>Optional for a non-motor vehicle</translation>
    </message>
</context>
<context>
    <name>PersonDialog</name>
    <message>
        <location filename="../../desk/ui/alerts/assign.py" line="104" />
        <source>添加责任人</source>
        <translation>Add responsible person</translation>
    </message>
    <message>
        <location filename="../../desk/ui/alerts/assign.py" line="108" />
        <source>如：排水所值班员、社区网格员</source>
        <translation>e.g. drainage station duty officer, community grid worker</translation>
    </message>
    <message>
        <location filename="../../desk/ui/alerts/assign.py" line="110" />
        <source>姓名：</source>
        <translation>Name:</translation>
    </message>
    <message>
        <location filename="../../desk/ui/alerts/assign.py" line="111" />
        <source>职责：</source>
        <translation>Role:</translation>
    </message>
    <message>
        <location filename="../../desk/ui/alerts/assign.py" line="112" />
        <source>电话：</source>
        <translation>Phone:</translation>
    </message>
    <message>
        <location filename="../../desk/ui/alerts/assign.py" line="118" />
        <source>添加</source>
        <translation>Add</translation>
    </message>
    <message>
        <location filename="../../desk/ui/alerts/assign.py" line="119" />
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../desk/ui/alerts/assign.py" line="126" />
        <source>请填写姓名</source>
        <translation>Please enter a name</translation>
    </message>
</context>
<context>
    <name>PlayerWindow</name>
    <message>
        <location filename="../../desk/ui/video/player.py" line="558" />
        <source>视频 — </source>
        <translation>Video — </translation>
    </message>
    <message>
        <location filename="../../desk/ui/video/player.py" line="567" />
        <source>截图存证</source>
        <translation>Snapshot as evidence</translation>
    </message>
    <message>
        <location filename="../../desk/ui/video/player.py" line="569" />
        <source>重新连接</source>
        <translation>Reconnect</translation>
    </message>
    <message>
        <location filename="../../desk/ui/video/player.py" line="571" />
        <source>附加到：</source>
        <translation>Attach to:</translation>
    </message>
    <message>
        <location filename="../../desk/ui/video/player.py" line="578" />
        <source>左</source>
        <translation>Left</translation>
    </message>
    <message>
        <location filename="../../desk/ui/video/player.py" line="578" />
        <source>右</source>
        <translation>Right</translation>
    </message>
    <message>
        <location filename="../../desk/ui/video/player.py" line="578" />
        <source>上</source>
        <translation>Up</translation>
    </message>
    <message>
        <location filename="../../desk/ui/video/player.py" line="579" />
        <source>下</source>
        <translation>Down</translation>
    </message>
    <message>
        <location filename="../../desk/ui/video/player.py" line="579" />
        <source>放大</source>
        <translation>Zoom in</translation>
    </message>
    <message>
        <location filename="../../desk/ui/video/player.py" line="580" />
        <source>缩小</source>
        <translation>Zoom out</translation>
    </message>
    <message>
        <location filename="../../desk/ui/video/player.py" line="580" />
        <source>停</source>
        <translation>Stop</translation>
    </message>
    <message>
        <location filename="../../desk/ui/video/player.py" line="606" />
        <source>案件 </source>
        <translation>Case </translation>
    </message>
    <message>
        <location filename="../../desk/ui/video/player.py" line="608" />
        <source>（没有进行中的案件）</source>
        <translation>(no open case)</translation>
    </message>
    <message>
        <location filename="../../desk/ui/video/player.py" line="616" />
        <source>请选择要附加截图的案件</source>
        <translation>Choose the case to attach the snapshot to</translation>
    </message>
    <message>
        <location filename="../../desk/ui/video/player.py" line="619" />
        <source>没有可保存的画面（尚未收到视频帧）</source>
        <translation>Nothing to save (no video frame received yet)</translation>
    </message>
    <message>
        <location filename="../../desk/ui/video/player.py" line="629" />
        <source>截图已存入案件证据：</source>
        <translation>Snapshot saved to the case evidence: </translation>
    </message>
</context>
<context>
    <name>QuickResponseDialog</name>
    <message>
        <location filename="../../desk/ui/dispatch/quick_response.py" line="61" />
        <source>快反圈（1、3、5 分钟快反）</source>
        <translation>Quick-response circles (1/3/5-minute response)</translation>
    </message>
    <message>
        <location filename="../../desk/ui/dispatch/quick_response.py" line="79" />
        <source>新建快反圈</source>
        <translation>New circle</translation>
    </message>
    <message>
        <location filename="../../desk/ui/dispatch/quick_response.py" line="81" />
        <source>删除</source>
        <translation>Delete</translation>
    </message>
    <message>
        <location filename="../../desk/ui/dispatch/quick_response.py" line="96" />
        <source>（未指定）</source>
        <translation>(none)</translation>
    </message>
    <message>
        <location filename="../../desk/ui/dispatch/quick_response.py" line="110" />
        <source>名称：</source>
        <translation>Name:</translation>
    </message>
    <message>
        <location filename="../../desk/ui/dispatch/quick_response.py" line="111" />
        <source>重点部位：</source>
        <translation>Key place:</translation>
    </message>
    <message>
        <location filename="../../desk/ui/dispatch/quick_response.py" line="112" />
        <source>责任单位：</source>
        <translation>Responsible station:</translation>
    </message>
    <message>
        <location filename="../../desk/ui/dispatch/quick_response.py" line="113" />
        <source>纬度：</source>
        <translation>Latitude:</translation>
    </message>
    <message>
        <location filename="../../desk/ui/dispatch/quick_response.py" line="114" />
        <source>经度：</source>
        <translation>Longitude:</translation>
    </message>
    <message>
        <location filename="../../desk/ui/dispatch/quick_response.py" line="115" />
        <source>半径：</source>
        <translation>Radius:</translation>
    </message>
    <message>
        <location filename="../../desk/ui/dispatch/quick_response.py" line="116" />
        <source>备注：</source>
        <translation>Note:</translation>
    </message>
    <message>
        <location filename="../../desk/ui/dispatch/quick_response.py" line="118" />
        <source>保存快反圈</source>
        <translation>Save circle</translation>
    </message>
    <message>
        <location filename="../../desk/ui/dispatch/quick_response.py" line="121" />
        <source>各梯次力量：</source>
        <translation>Forces per tier:</translation>
    </message>
    <message>
        <location filename="../../desk/ui/dispatch/quick_response.py" line="123" />
        <source>梯次</source>
        <translation>Tier</translation>
    </message>
    <message>
        <location filename="../../desk/ui/dispatch/quick_response.py" line="123" />
        <source>力量</source>
        <translation>Force</translation>
    </message>
    <message>
        <location filename="../../desk/ui/dispatch/quick_response.py" line="123" />
        <source>警力单元</source>
        <translation>Units</translation>
    </message>
    <message>
        <location filename="../../desk/ui/dispatch/quick_response.py" line="132" />
        <location filename="../../desk/ui/dispatch/quick_response.py" line="221" />
        <source>{0} 分钟</source>
        <translation>{0} min</translation>
    </message>
    <message>
        <location filename="../../desk/ui/dispatch/quick_response.py" line="134" />
        <source>如：警务站、交警快骑、交通中队、市局直属</source>
        <translation>e.g. police kiosk, traffic motorcycle team, traffic squadron, city HQ units</translation>
    </message>
    <message>
        <location filename="../../desk/ui/dispatch/quick_response.py" line="135" />
        <source>添加力量</source>
        <translation>Add force</translation>
    </message>
    <message>
        <location filename="../../desk/ui/dispatch/quick_response.py" line="137" />
        <source>移除所选</source>
        <translation>Remove selected</translation>
    </message>
    <message>
        <location filename="../../desk/ui/dispatch/quick_response.py" line="146" />
        <source>快反圈</source>
        <translation>Quick-response circles</translation>
    </message>
    <message>
        <location filename="../../desk/ui/dispatch/quick_response.py" line="152" />
        <source>统计时段：</source>
        <translation>Period:</translation>
    </message>
    <message>
        <location filename="../../desk/ui/dispatch/quick_response.py" line="154" />
        <source>近 24 小时</source>
        <translation>Last 24 hours</translation>
    </message>
    <message>
        <location filename="../../desk/ui/dispatch/quick_response.py" line="154" />
        <source>近 7 天</source>
        <translation>Last 7 days</translation>
    </message>
    <message>
        <location filename="../../desk/ui/dispatch/quick_response.py" line="154" />
        <source>近 30 天</source>
        <translation>Last 30 days</translation>
    </message>
    <message>
        <location filename="../../desk/ui/dispatch/quick_response.py" line="166" />
        <source>范围</source>
        <translation>Area</translation>
    </message>
    <message>
        <location filename="../../desk/ui/dispatch/quick_response.py" line="166" />
        <source>派警数</source>
        <translation>Dispatches</translation>
    </message>
    <message>
        <location filename="../../desk/ui/dispatch/quick_response.py" line="166" />
        <source>到场数</source>
        <translation>Arrived</translation>
    </message>
    <message>
        <location filename="../../desk/ui/dispatch/quick_response.py" line="166" />
        <source>1 分钟内</source>
        <translation>Within 1 min</translation>
    </message>
    <message>
        <location filename="../../desk/ui/dispatch/quick_response.py" line="167" />
        <source>3 分钟内</source>
        <translation>Within 3 min</translation>
    </message>
    <message>
        <location filename="../../desk/ui/dispatch/quick_response.py" line="167" />
        <source>5 分钟内</source>
        <translation>Within 5 min</translation>
    </message>
    <message>
        <location filename="../../desk/ui/dispatch/quick_response.py" line="167" />
        <source>到场用时中位数</source>
        <translation>Median time to arrive</translation>
    </message>
    <message>
        <location filename="../../desk/ui/dispatch/quick_response.py" line="172" />
        <source>快反达标率</source>
        <translation>Response compliance</translation>
    </message>
    <message>
        <location filename="../../desk/ui/dispatch/quick_response.py" line="239" />
        <source>填写名称后点“保存快反圈”</source>
        <translation>Enter a name, then click "Save circle"</translation>
    </message>
    <message>
        <location filename="../../desk/ui/dispatch/quick_response.py" line="260" />
        <source>已保存 {0}</source>
        <translation>Saved {0}</translation>
    </message>
    <message>
        <location filename="../../desk/ui/dispatch/quick_response.py" line="274" />
        <source>已删除 {0}</source>
        <translation>Deleted {0}</translation>
    </message>
    <message>
        <location filename="../../desk/ui/dispatch/quick_response.py" line="318" />
        <source>全部</source>
        <translation>All</translation>
    </message>
    <message>
        <location filename="../../desk/ui/dispatch/quick_response.py" line="318" />
        <source>快反圈 </source>
        <translation>Circle </translation>
    </message>
    <message>
        <location filename="../../desk/ui/dispatch/quick_response.py" line="319" />
        <source>单位 </source>
        <translation>Station </translation>
    </message>
    <message>
        <location filename="../../desk/ui/dispatch/quick_response.py" line="321" />
        <source>{0:.1f} 分钟</source>
        <translation>{0:.1f} min</translation>
    </message>
    <message>
        <location filename="../../desk/ui/dispatch/quick_response.py" line="331" />
        <source>到场用时 = 到场 − 派警（出警记录）；未到场计入分母，在途未满 5 分钟的 {0} 起不计。</source>
        <translation>Time to arrive = arrival − dispatch order (dispatch records); dispatches that never arrived count against the share; {0} still under way for less than 5 min are left out.</translation>
    </message>
</context>
<context>
    <name>RainWarningBanner</name>
    <message>
        <location filename="../../desk/ui/water/banner.py" line="119" />
        <source>处置措施清单</source>
        <translation>Response measures</translation>
    </message>
    <message>
        <location filename="../../desk/ui/water/banner.py" line="122" />
        <source>解除</source>
        <translation>Lift</translation>
    </message>
    <message>
        <location filename="../../desk/ui/water/banner.py" line="149" />
        <source>内部研判（非预警信号）：</source>
        <translation>Internal assessment (not a warning signal):</translation>
    </message>
    <message>
        <location filename="../../desk/ui/water/banner.py" line="160" />
        <source>已完成 {0}/{1}</source>
        <translation>Done {0}/{1}</translation>
    </message>
</context>
<context>
    <name>ResponsiblePeopleBox</name>
    <message>
        <location filename="../../desk/ui/alerts/assign.py" line="150" />
        <source>已通知所选责任人</source>
        <translation>Mark selected person notified</translation>
    </message>
    <message>
        <location filename="../../desk/ui/alerts/assign.py" line="153" />
        <source>添加责任人…</source>
        <translation>Add responsible person…</translation>
    </message>
    <message>
        <location filename="../../desk/ui/alerts/assign.py" line="177" />
        <source>✓ 已通知</source>
        <translation>✓ notified</translation>
    </message>
    <message>
        <location filename="../../desk/ui/alerts/assign.py" line="182" />
        <source>责任人（按呼叫顺序）：</source>
        <translation>Responsible people (in calling order):</translation>
    </message>
    <message>
        <location filename="../../desk/ui/alerts/assign.py" line="186" />
        <source>⚠ 未配置责任人：该点位没有呼叫名单，请添加责任人</source>
        <translation>⚠ No responsible people: this point has no call list, please add people</translation>
    </message>
    <message>
        <location filename="../../desk/ui/alerts/assign.py" line="211" />
        <source>无法添加责任人：</source>
        <translation>Cannot add responsible person: </translation>
    </message>
    <message>
        <location filename="../../desk/ui/alerts/assign.py" line="224" />
        <source>无法记录通知：</source>
        <translation>Cannot record the call: </translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../desk/ui/settings_dialog.py" line="66" />
        <source>设置</source>
        <extracomment>Keys this dialog owns; values are JSON in QSettings under "settings/&lt;key&gt;".</extracomment>
        <translation>Settings</translation>
    </message>
    <message>
        <location filename="../../desk/ui/settings_dialog.py" line="71" />
        <source>底图</source>
        <translation>Basemap</translation>
    </message>
    <message>
        <location filename="../../desk/ui/settings_dialog.py" line="77" />
        <source>来源</source>
        <translation>Source</translation>
    </message>
    <message>
        <location filename="../../desk/ui/settings_dialog.py" line="80" />
        <source>选择 .mbtiles 文件</source>
        <translation>Choose an .mbtiles file</translation>
    </message>
    <message>
        <location filename="../../desk/ui/settings_dialog.py" line="81" />
        <source>浏览…</source>
        <translation>Browse…</translation>
    </message>
    <message>
        <location filename="../../desk/ui/settings_dialog.py" line="85" />
        <source>MBTiles 文件</source>
        <translation>MBTiles file</translation>
    </message>
    <message>
        <location filename="../../desk/ui/settings_dialog.py" line="88" />
        <source>瓦片地址</source>
        <translation>Tile URL</translation>
    </message>
    <message>
        <location filename="../../desk/ui/settings_dialog.py" line="90" />
        <source>WGS-84 / CGCS2000（天地图、PGIS）</source>
        <translation>WGS-84 / CGCS2000 (Tianditu, PGIS)</translation>
    </message>
    <message>
        <location filename="../../desk/ui/settings_dialog.py" line="91" />
        <source>GCJ-02（高德、腾讯）</source>
        <translation>GCJ-02 (AMap, Tencent)</translation>
    </message>
    <message>
        <location filename="../../desk/ui/settings_dialog.py" line="93" />
        <source>坐标系</source>
        <translation>Coordinate system</translation>
    </message>
    <message>
        <location filename="../../desk/ui/settings_dialog.py" line="95" />
        <source>警力</source>
        <translation>Units</translation>
    </message>
    <message>
        <location filename="../../desk/ui/settings_dialog.py" line="99" />
        <source> 秒</source>
        <translation> s</translation>
    </message>
    <message>
        <location filename="../../desk/ui/settings_dialog.py" line="101" />
        <source>定位超过此时间视为陈旧</source>
        <translation>Fix is stale after</translation>
    </message>
    <message>
        <location filename="../../desk/ui/settings_dialog.py" line="106" />
        <source>估算到达时间的平均车速</source>
        <translation>Average speed for ETA</translation>
    </message>
    <message>
        <location filename="../../desk/ui/settings_dialog.py" line="132" />
        <source>选择 MBTiles 文件</source>
        <translation>Choose MBTiles file</translation>
    </message>
    <message>
        <location filename="../../desk/ui/settings_dialog.py" line="133" />
        <source>MBTiles (*.mbtiles);;所有文件 (*)</source>
        <translation>MBTiles (*.mbtiles);;All files (*)</translation>
    </message>
    <message>
        <location filename="../../desk/ui/settings_dialog.py" line="154" />
        <source>底图设置无效：</source>
        <translation>Invalid basemap: </translation>
    </message>
</context>
<context>
    <name>SignalPicker</name>
    <message>
        <location filename="../../desk/ui/water/banner.py" line="248" />
        <source>录入预警信号…</source>
        <translation>Record warning signal…</translation>
    </message>
    <message>
        <location filename="../../desk/ui/water/banner.py" line="249" />
        <source>记录气象台发布的暴雨预警信号（等级、发布单位、时间、区域）</source>
        <translation>Record a rainstorm warning signal issued by the meteorological office (level, office, time, areas)</translation>
    </message>
    <message>
        <location filename="../../desk/ui/water/banner.py" line="252" />
        <source>导入 CAP…</source>
        <translation>Import CAP…</translation>
    </message>
    <message>
        <location filename="../../desk/ui/water/banner.py" line="253" />
        <source>读取 CAP 1.2 预警文件（国家突发事件预警信息发布系统格式）</source>
        <translation>Read CAP 1.2 warning files (format of the national emergency warning release system)</translation>
    </message>
    <message>
        <location filename="../../desk/ui/water/banner.py" line="264" />
        <source>选择 CAP 预警文件</source>
        <translation>Choose CAP warning files</translation>
    </message>
    <message>
        <location filename="../../desk/ui/water/banner.py" line="265" />
        <source>CAP 文件 (*.xml)</source>
        <translation>CAP files (*.xml)</translation>
    </message>
    <message>
        <location filename="../../desk/ui/water/banner.py" line="271" />
        <source>已记录 {0} 条，解除 {1} 条，重复 {2} 条</source>
        <translation>Recorded {0}, lifted {1}, duplicates {2}</translation>
    </message>
    <message>
        <location filename="../../desk/ui/water/banner.py" line="274" />
        <source>；未接受 {0} 个文件</source>
        <translation>; {0} files refused</translation>
    </message>
    <message>
        <location filename="../../desk/ui/water/banner.py" line="276" />
        <source>CAP 导入</source>
        <translation>CAP import</translation>
    </message>
</context>
<context>
    <name>SituationDashboard</name>
    <message>
        <location filename="../../desk/ui/dashboards/panel.py" line="83" />
        <source>正在统计…</source>
        <translation>Computing…</translation>
    </message>
    <message>
        <location filename="../../desk/ui/dashboards/panel.py" line="86" />
        <source>在线警力（24 小时）</source>
        <translation>Units online (24 h)</translation>
    </message>
    <message>
        <location filename="../../desk/ui/dashboards/panel.py" line="87" />
        <source>每小时告警（按类型）</source>
        <translation>Alerts per hour (by type)</translation>
    </message>
    <message>
        <location filename="../../desk/ui/dashboards/panel.py" line="88" />
        <source>积水点状态（24 小时）</source>
        <translation>Water points by state (24 h)</translation>
    </message>
    <message>
        <location filename="../../desk/ui/dashboards/panel.py" line="134" />
        <source>统计失败：</source>
        <translation>Statistics failed: </translation>
    </message>
    <message>
        <location filename="../../desk/ui/dashboards/panel.py" line="182" />
        <source>在线警力 {0}/{1}　24 小时告警 {2} 条　当前封闭积水点 {3} 个</source>
        <translation>Units online {0}/{1}  Alerts in 24 h {2}  Water points closed now {3}</translation>
    </message>
</context>
<context>
    <name>SyncDecisionDialog</name>
    <message>
        <location filename="../../desk/ui/sync/dialogs.py" line="211" />
        <source>同步需要您确认</source>
        <translation>Sync needs your decision</translation>
    </message>
    <message>
        <location filename="../../desk/ui/sync/dialogs.py" line="214" />
        <source>指挥中心的数据已被重置或从备份恢复（数据纪元已变化）。本机数据不会被自动清除，请选择如何继续。</source>
        <translation>The command centre data was reset or restored from a backup (the data epoch changed). Local data will not be cleared automatically; choose how to continue.</translation>
    </message>
    <message>
        <location filename="../../desk/ui/sync/dialogs.py" line="217" />
        <source>指挥中心没有任何数据，而本机工作区有数据。本机数据不会被自动清除，请选择如何继续。</source>
        <translation>The command centre has no data, but the local workspace has. Local data will not be cleared automatically; choose how to continue.</translation>
    </message>
    <message>
        <location filename="../../desk/ui/sync/dialogs.py" line="220" />
        <source>本机工作区有数据，且从未与该指挥中心同步过。请选择如何继续。</source>
        <translation>The local workspace has data and has never synced with this command centre. Choose how to continue.</translation>
    </message>
    <message>
        <location filename="../../desk/ui/sync/dialogs.py" line="226" />
        <source>对象</source>
        <translation>Entity</translation>
    </message>
    <message>
        <location filename="../../desk/ui/sync/dialogs.py" line="226" />
        <source>本机</source>
        <translation>Local</translation>
    </message>
    <message>
        <location filename="../../desk/ui/sync/dialogs.py" line="226" />
        <source>中心</source>
        <translation>Centre</translation>
    </message>
    <message>
        <location filename="../../desk/ui/sync/dialogs.py" line="230" />
        <source>上传本机数据并合并</source>
        <translation>Upload local data and merge</translation>
    </message>
    <message>
        <location filename="../../desk/ui/sync/dialogs.py" line="231" />
        <source>以中心数据为准（替换本机数据）</source>
        <translation>Use centre data (replace local data)</translation>
    </message>
    <message>
        <location filename="../../desk/ui/sync/dialogs.py" line="232" />
        <source>暂不同步</source>
        <translation>Not now</translation>
    </message>
    <message>
        <location filename="../../desk/ui/sync/dialogs.py" line="250" />
        <source>确认替换本机数据</source>
        <translation>Confirm replacing local data</translation>
    </message>
    <message>
        <location filename="../../desk/ui/sync/dialogs.py" line="251" />
        <source>本机的同步数据将被删除并从中心重新下载；尚未发送的修改会移入“被拒绝”列表，不会丢失。确定继续吗？</source>
        <translation>Local synced data will be deleted and downloaded again from the centre; unsent changes move to the “Rejected” list and are not lost. Continue?</translation>
    </message>
</context>
<context>
    <name>SyncListsDialog</name>
    <message>
        <location filename="../../desk/ui/sync/dialogs.py" line="114" />
        <source>同步状态</source>
        <extracomment>Reason codes the central answers with, as a dispatcher reads them.</extracomment>
        <translation>Sync status</translation>
    </message>
    <message>
        <location filename="../../desk/ui/sync/dialogs.py" line="117" />
        <location filename="../../desk/ui/sync/dialogs.py" line="119" />
        <location filename="../../desk/ui/sync/dialogs.py" line="121" />
        <source>对象</source>
        <translation>Entity</translation>
    </message>
    <message>
        <location filename="../../desk/ui/sync/dialogs.py" line="117" />
        <location filename="../../desk/ui/sync/dialogs.py" line="119" />
        <location filename="../../desk/ui/sync/dialogs.py" line="121" />
        <source>编号</source>
        <translation>ID</translation>
    </message>
    <message>
        <location filename="../../desk/ui/sync/dialogs.py" line="117" />
        <location filename="../../desk/ui/sync/dialogs.py" line="119" />
        <source>操作</source>
        <translation>Operation</translation>
    </message>
    <message>
        <location filename="../../desk/ui/sync/dialogs.py" line="118" />
        <source>尝试次数</source>
        <translation>Attempts</translation>
    </message>
    <message>
        <location filename="../../desk/ui/sync/dialogs.py" line="118" />
        <source>最近错误</source>
        <translation>Last error</translation>
    </message>
    <message>
        <location filename="../../desk/ui/sync/dialogs.py" line="120" />
        <source>代码</source>
        <translation>Code</translation>
    </message>
    <message>
        <location filename="../../desk/ui/sync/dialogs.py" line="120" />
        <source>原因</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location filename="../../desk/ui/sync/dialogs.py" line="120" />
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <location filename="../../desk/ui/sync/dialogs.py" line="121" />
        <source>字段</source>
        <translation>Field</translation>
    </message>
    <message>
        <location filename="../../desk/ui/sync/dialogs.py" line="122" />
        <source>本机的值</source>
        <translation>Local value</translation>
    </message>
    <message>
        <location filename="../../desk/ui/sync/dialogs.py" line="122" />
        <source>中心的值</source>
        <translation>Centre value</translation>
    </message>
    <message>
        <location filename="../../desk/ui/sync/dialogs.py" line="126" />
        <source>已知悉，移除所选</source>
        <translation>Noted, remove selected</translation>
    </message>
    <message>
        <location filename="../../desk/ui/sync/dialogs.py" line="131" />
        <source>同一记录的业务字段在两个席位被改成了不同的值，请选择保留哪一方。</source>
        <translation>The same field of a record was changed to different values at two desks; choose which one to keep.</translation>
    </message>
    <message>
        <location filename="../../desk/ui/sync/dialogs.py" line="137" />
        <source>保留本机的值</source>
        <translation>Keep local value</translation>
    </message>
    <message>
        <location filename="../../desk/ui/sync/dialogs.py" line="138" />
        <source>采用中心的值</source>
        <translation>Use centre value</translation>
    </message>
    <message>
        <location filename="../../desk/ui/sync/dialogs.py" line="144" />
        <source>未同步</source>
        <translation>Unsynced</translation>
    </message>
    <message>
        <location filename="../../desk/ui/sync/dialogs.py" line="145" />
        <source>被拒绝</source>
        <translation>Rejected</translation>
    </message>
    <message>
        <location filename="../../desk/ui/sync/dialogs.py" line="146" />
        <source>冲突</source>
        <translation>Conflicts</translation>
    </message>
    <message>
        <location filename="../../desk/ui/sync/dialogs.py" line="147" />
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desk/ui/sync/dialogs.py" line="174" />
        <source>未同步 (%n)</source>
        <translation><numerusform>Unsynced (%n)</numerusform><numerusform>Unsynced (%n)</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../../desk/ui/sync/dialogs.py" line="175" />
        <source>被拒绝 (%n)</source>
        <translation><numerusform>Rejected (%n)</numerusform><numerusform>Rejected (%n)</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../../desk/ui/sync/dialogs.py" line="176" />
        <source>冲突 (%n)</source>
        <translation><numerusform>Conflicts (%n)</numerusform><numerusform>Conflicts (%n)</numerusform></translation>
    </message>
    <message>
        <location filename="../../desk/ui/sync/dialogs.py" line="192" />
        <source>无法处理冲突</source>
        <translation>Cannot resolve conflict</translation>
    </message>
</context>
<context>
    <name>SyncStatusWidget</name>
    <message>
        <location filename="../../desk/ui/sync/status.py" line="66" />
        <source>初次同步 %p%</source>
        <translation>Initial sync %p%</translation>
    </message>
    <message>
        <location filename="../../desk/ui/sync/status.py" line="68" />
        <location filename="../../desk/ui/sync/status.py" line="208" />
        <source>离线工作</source>
        <translation>Work offline</translation>
    </message>
    <message>
        <location filename="../../desk/ui/sync/status.py" line="69" />
        <source>勾选后停止一切网络通信，修改先保存在本机，恢复后自动补发</source>
        <translation>When checked, all network traffic stops; changes are kept locally and sent when back online</translation>
    </message>
    <message>
        <location filename="../../desk/ui/sync/status.py" line="85" />
        <source>本地模式</source>
        <translation>Local mode</translation>
    </message>
    <message>
        <location filename="../../desk/ui/sync/status.py" line="86" />
        <source>未配置指挥中心，所有数据只保存在本机</source>
        <translation>No command centre configured: all data stays on this machine</translation>
    </message>
    <message>
        <location filename="../../desk/ui/sync/status.py" line="107" />
        <location filename="../../desk/ui/sync/status.py" line="204" />
        <source>连接中…</source>
        <translation>Connecting…</translation>
    </message>
    <message>
        <location filename="../../desk/ui/sync/status.py" line="128" />
        <source>待同步 %1</source>
        <translation>Pending %1</translation>
    </message>
    <message>
        <location filename="../../desk/ui/sync/status.py" line="129" />
        <source>被拒绝 %1</source>
        <translation>Rejected %1</translation>
    </message>
    <message>
        <location filename="../../desk/ui/sync/status.py" line="131" />
        <source>冲突 %1</source>
        <translation>Conflicts %1</translation>
    </message>
    <message>
        <location filename="../../desk/ui/sync/status.py" line="135" />
        <source>上次同步 %1</source>
        <translation>Last sync %1</translation>
    </message>
    <message>
        <location filename="../../desk/ui/sync/status.py" line="143" />
        <source>中心拒绝访问</source>
        <translation>Centre refused access</translation>
    </message>
    <message>
        <location filename="../../desk/ui/sync/status.py" line="146" />
        <source>等待确认</source>
        <translation>Awaiting decision</translation>
    </message>
    <message>
        <location filename="../../desk/ui/sync/status.py" line="149" />
        <source>在线</source>
        <translation>Online</translation>
    </message>
    <message>
        <location filename="../../desk/ui/sync/status.py" line="151" />
        <source>在线（数量不一致）</source>
        <translation>Online (counts differ)</translation>
    </message>
    <message>
        <location filename="../../desk/ui/sync/status.py" line="154" />
        <source>同步后与中心的记录数不一致：</source>
        <translation>Record counts differ from the centre after sync: </translation>
    </message>
    <message>
        <location filename="../../desk/ui/sync/status.py" line="159" />
        <source>离线</source>
        <translation>Offline</translation>
    </message>
    <message>
        <location filename="../../desk/ui/sync/status.py" line="164" />
        <source>（节点 %1）</source>
        <translation>(node %1)</translation>
    </message>
    <message>
        <location filename="../../desk/ui/sync/status.py" line="168" />
        <source>中心数据已回退，正在补发</source>
        <translation>Central went back to older data; re-sending</translation>
    </message>
    <message>
        <location filename="../../desk/ui/sync/status.py" line="172" />
        <source>（本机时钟偏差 %1 秒）</source>
        <translation>(this desk's clock is off by %1 s)</translation>
    </message>
    <message>
        <location filename="../../desk/ui/sync/status.py" line="209" />
        <source>已停止网络通信；修改保存在本机，取消勾选后补发</source>
        <translation>Network traffic stopped; changes are kept locally and sent when unchecked</translation>
    </message>
    <message>
        <location filename="../../desk/ui/sync/status.py" line="221" />
        <source>同步中…</source>
        <translation>Syncing…</translation>
    </message>
</context>
<context>
    <name>ThresholdDialog</name>
    <message>
        <location filename="../../desk/ui/water/panel.py" line="64" />
        <source>阈值设置 — </source>
        <extracomment>The runtime's job that plays the rain demo. Column widths in average character widths (监测点 stretches to fill the rest). At most this many curves in a group chart (a legend of 40 names helps nobody).</extracomment>
        <translation>Thresholds — </translation>
    </message>
    <message>
        <location filename="../../desk/ui/water/panel.py" line="68" />
        <source>汛限水位 (cm)</source>
        <translation>Flood-limit level (cm)</translation>
    </message>
    <message>
        <location filename="../../desk/ui/water/panel.py" line="68" />
        <source>警戒水位 (cm)</source>
        <translation>Warning level (cm)</translation>
    </message>
    <message>
        <location filename="../../desk/ui/water/panel.py" line="68" />
        <source>保证水位 (cm)</source>
        <translation>Guaranteed level (cm)</translation>
    </message>
    <message>
        <location filename="../../desk/ui/water/panel.py" line="69" />
        <source>注意 (cm)</source>
        <translation>Caution (cm)</translation>
    </message>
    <message>
        <location filename="../../desk/ui/water/panel.py" line="69" />
        <source>警告 (cm)</source>
        <translation>Warning (cm)</translation>
    </message>
    <message>
        <location filename="../../desk/ui/water/panel.py" line="69" />
        <source>封闭 (cm)</source>
        <translation>Close road (cm)</translation>
    </message>
</context>
<context>
    <name>VideoOwner</name>
    <message>
        <location filename="../../desk/ui/video/owner.py" line="49" />
        <source>找不到摄像机 </source>
        <translation>Camera not found: </translation>
    </message>
    <message>
        <location filename="../../desk/ui/video/owner.py" line="55" />
        <source>该对象没有位置，无法查找附近摄像机</source>
        <translation>This item has no position; cannot find nearby cameras</translation>
    </message>
    <message>
        <location filename="../../desk/ui/video/owner.py" line="59" />
        <source>2 公里内没有在线摄像机：</source>
        <translation>No online camera within 2 km: </translation>
    </message>
    <message>
        <location filename="../../desk/ui/video/owner.py" line="72" />
        <source>没有可显示的摄像机</source>
        <translation>No camera to show</translation>
    </message>
</context>
<context>
    <name>VideoTile</name>
    <message>
        <location filename="../../desk/ui/video/player.py" line="435" />
        <source>弹出</source>
        <extracomment>MIME type of a camera dragged from a list or another tile (payload: the camera id, UTF-8). Repaint at most this often: a 3×3 wall paints each tile at 12.5 fps, so converting frames for painting does not take the GUI thread (bench/bench_video.py).</extracomment>
        <translation>Pop out</translation>
    </message>
    <message>
        <location filename="../../desk/ui/video/player.py" line="463" />
        <source>（空）将摄像机拖到这里</source>
        <translation>(empty) drag a camera here</translation>
    </message>
    <message>
        <location filename="../../desk/ui/video/player.py" line="518" />
        <source>尚未收到画面</source>
        <translation>No picture received yet</translation>
    </message>
    <message>
        <location filename="../../desk/ui/video/player.py" line="520" />
        <source>最后画面 </source>
        <translation>Last frame </translation>
    </message>
</context>
<context>
    <name>VideoWall</name>
    <message>
        <location filename="../../desk/ui/video/wall.py" line="74" />
        <source>视频墙</source>
        <translation>Video wall</translation>
    </message>
    <message>
        <location filename="../../desk/ui/video/wall.py" line="83" />
        <source>布局：</source>
        <translation>Layout:</translation>
    </message>
    <message>
        <location filename="../../desk/ui/video/wall.py" line="86" />
        <source>1 画面</source>
        <translation>1 tile</translation>
    </message>
    <message>
        <location filename="../../desk/ui/video/wall.py" line="92" />
        <source>（离线）</source>
        <translation>(offline)</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desk/ui/video/wall.py" line="110" />
        <source>附近在线摄像机 %n 个</source>
        <translation><numerusform>%n online camera(s) nearby</numerusform><numerusform>%n online camera(s) nearby</numerusform></translation>
    </message>
</context>
<context>
    <name>WaterPanel</name>
    <message>
        <location filename="../../desk/ui/water/panel.py" line="114" />
        <source>全部类型</source>
        <translation>All kinds</translation>
    </message>
    <message>
        <location filename="../../desk/ui/water/panel.py" line="119" />
        <source>阈值…</source>
        <translation>Thresholds…</translation>
    </message>
    <message>
        <location filename="../../desk/ui/water/panel.py" line="123" />
        <location filename="../../desk/ui/water/panel.py" line="447" />
        <source>开始降雨演示</source>
        <translation>Start rain demo</translation>
    </message>
    <message>
        <location filename="../../desk/ui/water/panel.py" line="163" />
        <source>单点曲线（24 小时）</source>
        <translation>Point chart (24 h)</translation>
    </message>
    <message>
        <location filename="../../desk/ui/water/panel.py" line="172" />
        <source>分组曲线</source>
        <translation>Group chart</translation>
    </message>
    <message>
        <location filename="../../desk/ui/water/panel.py" line="174" />
        <source>附近摄像机</source>
        <translation>Nearby cameras</translation>
    </message>
    <message>
        <location filename="../../desk/ui/water/panel.py" line="178" />
        <source>责任人（按呼叫顺序）</source>
        <translation>Contacts (call order)</translation>
    </message>
    <message>
        <location filename="../../desk/ui/water/panel.py" line="185" />
        <source>记录呼叫</source>
        <translation>Log call</translation>
    </message>
    <message>
        <location filename="../../desk/ui/water/panel.py" line="190" />
        <source>呼叫记录</source>
        <translation>Call log</translation>
    </message>
    <message>
        <location filename="../../desk/ui/water/panel.py" line="193" />
        <source>责任人</source>
        <translation>Contacts</translation>
    </message>
    <message>
        <location filename="../../desk/ui/water/panel.py" line="232" />
        <source>监测点 {0}　</source>
        <translation>Points {0}  </translation>
    </message>
    <message>
        <location filename="../../desk/ui/water/panel.py" line="233" />
        <source>　无数据 {0}</source>
        <translation>  No data {0}</translation>
    </message>
    <message>
        <location filename="../../desk/ui/water/panel.py" line="312" />
        <source>水位</source>
        <translation>Water level</translation>
    </message>
    <message>
        <location filename="../../desk/ui/water/panel.py" line="313" />
        <source>水深</source>
        <translation>Depth</translation>
    </message>
    <message>
        <location filename="../../desk/ui/water/panel.py" line="342" />
        <source>请先选择监测点和责任人</source>
        <translation>Select a monitoring point and a contact first</translation>
    </message>
    <message>
        <location filename="../../desk/ui/water/panel.py" line="362" />
        <source>阈值已更新</source>
        <translation>Thresholds updated</translation>
    </message>
    <message>
        <location filename="../../desk/ui/water/panel.py" line="370" />
        <source>全部隧道</source>
        <translation>All tunnels</translation>
    </message>
    <message>
        <location filename="../../desk/ui/water/panel.py" line="371" />
        <source>全部桥涵</source>
        <translation>All bridges/culverts</translation>
    </message>
    <message>
        <location filename="../../desk/ui/water/panel.py" line="373" />
        <source>区域：</source>
        <translation>District: </translation>
    </message>
    <message>
        <location filename="../../desk/ui/water/panel.py" line="420" />
        <source>降雨演示不可用：应用运行时未就绪</source>
        <translation>Rain demo unavailable: the application runtime is not ready</translation>
    </message>
    <message>
        <location filename="../../desk/ui/water/panel.py" line="427" />
        <source>工作区没有积水监测点，无法演示</source>
        <translation>The workspace has no water points: cannot run the demo</translation>
    </message>
    <message>
        <location filename="../../desk/ui/water/panel.py" line="433" />
        <source>降雨演示无法启动，详情见日志</source>
        <translation>The rain demo could not start; see the log</translation>
    </message>
    <message>
        <location filename="../../desk/ui/water/panel.py" line="446" />
        <source>停止降雨演示</source>
        <translation>Stop rain demo</translation>
    </message>
    <message>
        <location filename="../../desk/ui/water/panel.py" line="436" />
        <source>降雨演示开始：雨量站读数上升，隧道最先积水</source>
        <translation>Rain demo started: gauge readings rise, tunnels flood first</translation>
    </message>
</context>
<context>
    <name>WaterPointModel</name>
    <message>
        <location filename="../../desk/ui/water/model.py" line="17" />
        <source>监测点</source>
        <translation>Points</translation>
    </message>
    <message>
        <location filename="../../desk/ui/water/model.py" line="18" />
        <source>类型</source>
        <translation>Kind</translation>
    </message>
    <message>
        <location filename="../../desk/ui/water/model.py" line="19" />
        <source>区域</source>
        <translation>District</translation>
    </message>
    <message>
        <location filename="../../desk/ui/water/model.py" line="20" />
        <source>水深cm</source>
        <translation>Depth (cm)</translation>
    </message>
    <message>
        <location filename="../../desk/ui/water/model.py" line="21" />
        <source>趋势</source>
        <translation>Trend</translation>
    </message>
    <message>
        <location filename="../../desk/ui/water/model.py" line="22" />
        <source>cm/分</source>
        <translation>cm/min</translation>
    </message>
    <message>
        <location filename="../../desk/ui/water/model.py" line="23" />
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../desk/ui/water/model.py" line="24" />
        <source>更新</source>
        <translation>Updated</translation>
    </message>
    <message>
        <location filename="../../desk/ui/water/model.py" line="136" />
        <source>无数据</source>
        <extracomment>Sort key role: the proxy sorts on it (worst state first, then deepest), so the source model never reorders its rows and an update only ever signals the rows that changed.</extracomment>
        <translation>No data</translation>
    </message>
</context>
</TS>