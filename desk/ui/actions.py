"""The window's actions, declared as data; menus, toolbar and shortcuts are built from this table.

Action ids (documented here because shortcuts and tests refer to them):
  workspace.open      打开工作区…          Ctrl+O
  workspace.demo      生成郑州演示城市      Ctrl+Shift+D (only in an empty workspace)
  app.settings        设置…                 Ctrl+,
  app.handover        交接班…               Ctrl+Shift+H
  app.quit            退出                  Ctrl+Q (asks first while red alerts are open)
  view.dock.<id>      显示并切换到面板      F2…F7 (from panels.registry.DOCKS; never hides)
  view.reset_layout   恢复默认布局          Ctrl+Shift+R
  view.fullscreen     全屏                  F11
  help.log            日志                  (opens the log file)
  help.about          关于                  F1
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from desk.ui.i18n import QT_TRANSLATE_NOOP


@dataclass(frozen=True, slots=True)
class ActionSpec:
    id: str
    title: str  # source text, translated in the "Actions" context
    shortcut: str = ""
    menu: str = ""  # source text of the menu, "Menus" context
    toolbar: bool = False
    checkable: bool = False
    #: name of a predicate on the window; the action is enabled only when it returns True
    enabled_when: str = ""


ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec("workspace.open", QT_TRANSLATE_NOOP("Actions", "打开工作区…"), "Ctrl+O",
               QT_TRANSLATE_NOOP("Menus", "工作区")),
    ActionSpec("workspace.demo", QT_TRANSLATE_NOOP("Actions", "生成郑州演示城市"), "Ctrl+Shift+D",
               QT_TRANSLATE_NOOP("Menus", "工作区"), enabled_when="workspace_is_empty"),
    ActionSpec("app.settings", QT_TRANSLATE_NOOP("Actions", "设置…"), "Ctrl+,",
               QT_TRANSLATE_NOOP("Menus", "工作区")),
    ActionSpec("app.handover", QT_TRANSLATE_NOOP("Actions", "交接班…"), "Ctrl+Shift+H",
               QT_TRANSLATE_NOOP("Menus", "工作区")),
    ActionSpec("app.quit", QT_TRANSLATE_NOOP("Actions", "退出"), "Ctrl+Q",
               QT_TRANSLATE_NOOP("Menus", "工作区")),
    ActionSpec("view.reset_layout", QT_TRANSLATE_NOOP("Actions", "恢复默认布局"), "Ctrl+Shift+R",
               QT_TRANSLATE_NOOP("Menus", "视图")),
    ActionSpec("view.fullscreen", QT_TRANSLATE_NOOP("Actions", "全屏"), "F11",
               QT_TRANSLATE_NOOP("Menus", "视图"), checkable=True),
    ActionSpec("help.log", QT_TRANSLATE_NOOP("Actions", "日志"), "",
               QT_TRANSLATE_NOOP("Menus", "帮助")),
    ActionSpec("help.about", QT_TRANSLATE_NOOP("Actions", "关于"), "F1",
               QT_TRANSLATE_NOOP("Menus", "帮助")),
)

Handler = Callable[[], None]
