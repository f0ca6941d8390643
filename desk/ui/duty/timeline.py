"""The timeline: posts down the side, time across (a day or a week), assignments as bars with
live violation badges. Officers are dropped on it from the roster (MIME_OFFICER); bars are dragged
to move (also to another post) or by their right edge to resize. Painting touches only the rows in
the exposed rectangle, so a week of 60 posts paints fast."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QPoint, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QContextMenuEvent,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QFont,
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
)
from PySide6.QtWidgets import QMenu, QToolTip, QWidget

from desk.domain.duty.model import (
    DAY_S,
    WEEKDAY_LABELS,
    Assignment,
    DutyPost,
    day_start,
    fmt_span,
    to_local,
    weekday,
)
from desk.domain.duty.rules import Severity, band_need
from desk.services.duty import DutyPlan
from desk.ui.duty.models import MIME_OFFICER

log = logging.getLogger(__name__)

LEFT = 190
TOP = 40
ROW_H = 30
RESIZE_GRIP = 6

BG = QColor("#0f1620")
ROW_ALT = QColor("#131d29")
GRID = QColor("#263445")
GRID_DAY = QColor("#3a526d")
TEXT = QColor("#dce6f0")
MUTED = QColor("#8aa0b6")
BAR = QColor("#2b78c2")
BAR_LOCKED = QColor("#5a4fb0")
BAR_SEL = QColor("#3aa0ff")
BAND = QColor(58, 160, 255, 28)
BAND_SHORT = QColor(255, 92, 92, 30)
HARD = QColor("#ff5c5c")
SOFT = QColor("#ffb020")
_BRUSH_BAR = QBrush(BAR)
_BRUSH_LOCKED = QBrush(BAR_LOCKED)
_BRUSH_HIGHLIGHT = QBrush(QColor("#2fa36b"))
_PEN_SELECTED = QPen(BAR_SEL, 2)
_PEN_HARD = QPen(HARD, 2)
_PEN_SOFT = QPen(SOFT, 1.5)
_PEN_WHITE = QPen(QColor("#ffffff"))


@dataclass(slots=True)
class _Drag:
    assignment: Assignment
    mode: str  # "move" | "resize"
    press: QPoint
    preview: Assignment


class DutyTimeline(QWidget):
    """Draws a ``DutyPlan``. It never edits the plan itself: it emits requests the panel turns
    into undoable edits."""

    sig_drop_requested = Signal(str, str, int, int)
    """An officer (id) was dropped on post (id) for the span (start, end)."""

    sig_change_requested = Signal(object)
    """A bar was dragged: the new Assignment value (same id)."""

    sig_remove_requested = Signal(object)
    """Remove this Assignment."""

    sig_lock_requested = Signal(object, bool)
    """Lock (pin) or unlock this Assignment."""

    sig_selection_changed = Signal(str)
    """The selected bar's assignment id ('' for none)."""

    def __init__(self, plan: DutyPlan, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plan = plan
        self.posts: list[DutyPost] = []
        self.mode = "week"
        self.t0 = plan.week
        self.hours = 7 * 24
        self.px_per_h = 12.0
        self.selected = ""
        self.highlight_officer = ""
        self._drag: _Drag | None = None
        self._drop_hint: tuple[int, int, int] | None = None  # (row, start, end)
        self._row_of: dict[str, int] = {}
        self.setAcceptDrops(True)
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.set_posts(list(plan.roster.posts.values()))

    # -- configuration -------------------------------------------------------------------------

    def set_plan(self, plan: DutyPlan) -> None:
        self.plan = plan
        if self.mode == "week":
            self.t0 = plan.week
        self.refresh()

    def set_posts(self, posts: list[DutyPost]) -> None:
        self.posts = posts
        self._row_of = {p.id: i for i, p in enumerate(posts)}
        self.refresh()

    def set_range(self, mode: str, day: int | None = None) -> None:
        """``"week"``: the plan's week at 12 px/h; ``"day"``: one day (to 06:00 next morning, so
        night checks fit) at 60 px/h."""
        self.mode = mode
        if mode == "day":
            self.t0 = day_start(day if day is not None else self.plan.week)
            self.hours = 30
            self.px_per_h = 60.0
        else:
            self.t0 = self.plan.week
            self.hours = 7 * 24
            self.px_per_h = 12.0
        self.refresh()

    def refresh(self) -> None:
        """Repaint everything (new plan, posts or range). The verdict is read while painting, so
        there is nothing to re-read first."""
        size = self.sizeHint()
        if size != self.size():
            self.setFixedSize(size)
        self.update()

    def refresh_rows(self, post_ids: set[str]) -> int:
        """Repaint only the rows of these posts (after an edit: the posts it touched and those
        whose bars' badges changed) where they are on screen. Returns how many rows."""
        visible = self.visibleRegion().boundingRect()
        rows = 0
        for pid in post_ids:
            row = self._row_of.get(pid)
            if row is None:
                continue
            rect = QRect(visible.left(), TOP + row * ROW_H, visible.width(), ROW_H)
            if rect.intersects(visible):
                self.update(rect)
                rows += 1
        return rows

    def sizeHint(self) -> QSize:
        return QSize(LEFT + int(self.hours * self.px_per_h) + 2, TOP + len(self.posts) * ROW_H + 2)

    # -- geometry ------------------------------------------------------------------------------

    def x_of(self, t: int) -> float:
        return LEFT + (t - self.t0) / 3600.0 * self.px_per_h

    def t_of(self, x: float) -> int:
        return int(self.t0 + (x - LEFT) / self.px_per_h * 3600)

    def row_at(self, y: float) -> int:
        if y < TOP or y < self.view_origin().y() + TOP:
            return -1
        row = int((y - TOP) // ROW_H)
        return row if 0 <= row < len(self.posts) else -1

    def snap_s(self) -> int:
        return 900 if self.mode == "day" else 3600

    def snap(self, t: int) -> int:
        s = self.snap_s()
        return int(round((t - self.t0) / s) * s + self.t0)

    def bar_rect(self, a: Assignment) -> QRectF | None:
        row = self._row_of.get(a.post_id)
        if row is None:
            return None
        x1, x2 = self.x_of(a.start), self.x_of(a.end)
        return QRectF(x1, TOP + row * ROW_H + 4, max(4.0, x2 - x1), ROW_H - 8)

    def assignment_at(self, pos: QPoint) -> Assignment | None:
        row = self.row_at(pos.y())
        if row < 0 or pos.x() < self.view_origin().x() + LEFT:
            return None
        post = self.posts[row]
        t = self.t_of(pos.x())
        hits = [a for a in self._visible_assignments(post.id)
                if (r := self.bar_rect(a)) is not None and r.contains(pos.toPointF())]
        hits.sort(key=lambda a: abs((a.start + a.end) / 2 - t))
        return hits[0] if hits else None

    def drop_span(self, row: int, t: int) -> tuple[int, int]:
        """Where a dropped officer lands: the requirement band under the cursor when there is
        one (the usual case: drop on 早高峰), else two hours from the snapped time."""
        post = self.posts[row]
        roster = self.plan.roster
        d = day_start(t)
        for day in (d - DAY_S, d):
            for req in roster.requirements_of(post.id):
                tpl = roster.templates.get(req.template_id)
                if tpl is None or weekday(day) not in req.weekdays:
                    continue
                bs, be = tpl.span_on(day)
                if bs <= t < be:
                    return bs, be
        start = self.snap(t)
        return start, start + 2 * 3600

    def _visible_assignments(self, post_id: str) -> list[Assignment]:
        t1 = self.t0 + int(self.hours * 3600)
        out: list[Assignment] = []
        seen: set[str] = set()
        d = day_start(self.t0) - DAY_S
        while d < t1:
            for a in self.plan.roster.post_day_assignments(post_id, d):
                if a.id not in seen and a.start < t1 and a.end > self.t0:
                    seen.add(a.id)
                    out.append(a)
            d += DAY_S
        return out

    # -- painting ------------------------------------------------------------------------------

    def view_origin(self) -> QPoint:
        """Top-left of the visible part: the header and the post names are painted there, so
        they stay put while the timeline scrolls (the panel repaints fully on scroll)."""
        return self.visibleRegion().boundingRect().topLeft()

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        clip = event.rect()
        p.fillRect(clip, BG)
        font = QFont(self.font())
        font.setPixelSize(12)
        p.setFont(font)
        origin = self.view_origin()
        # Only the rows in the exposed region (after an edit: a few rows, not the screen).
        rows: set[int] = set()
        for rect in event.region():  # type: ignore[attr-defined]  # QRegion iterates its rects
            first = max(0, (rect.top() - TOP) // ROW_H)
            last = min(len(self.posts) - 1, (rect.bottom() - TOP) // ROW_H)
            rows.update(range(first, last + 1))
        width = self.width()
        for row in sorted(rows):
            self._paint_row(p, row, width, origin.x())
        if clip.top() < origin.y() + TOP:
            self._paint_header(p, width, origin)
        if self._drop_hint is not None:
            row, s, e = self._drop_hint
            r = QRectF(self.x_of(s), TOP + row * ROW_H + 2, self.x_of(e) - self.x_of(s), ROW_H - 4)
            p.setPen(QPen(BAR_SEL, 2, Qt.PenStyle.DashLine))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRoundedRect(r, 3, 3)
        p.end()

    def _paint_header(self, p: QPainter, width: int, origin: QPoint) -> None:
        p.save()
        p.translate(0, origin.y())
        p.fillRect(QRect(0, 0, width, TOP), QColor("#0b1119"))
        step = 1 if self.mode == "day" else 6
        for h in range(0, int(self.hours) + 1, step):
            t = self.t0 + h * 3600
            x = self.x_of(t)
            local = to_local(t)
            if local.hour == 0:
                p.setPen(TEXT)
                label = f"{local.month}/{local.day} {WEEKDAY_LABELS[local.isoweekday()]}"
                p.drawText(QRectF(x + 3, 2, 120, 18), Qt.AlignmentFlag.AlignLeft, label)
            p.setPen(MUTED)
            p.drawText(QRectF(x + 2, 20, 40, 18), Qt.AlignmentFlag.AlignLeft, f"{local:%H}")
        p.setPen(GRID)
        p.drawLine(0, TOP - 1, width, TOP - 1)
        corner = QRect(origin.x(), 0, LEFT, TOP)
        p.fillRect(corner, QColor("#0b1119"))
        p.setPen(TEXT if self.mode == "day" else MUTED)
        d = to_local(self.t0)
        label = (f"{d.month}月{d.day}日 {WEEKDAY_LABELS[d.isoweekday()]}" if self.mode == "day"
                 else self.tr("岗位 \\ 时间"))
        p.drawText(corner.adjusted(8, 0, 0, 0), Qt.AlignmentFlag.AlignVCenter, label)
        p.restore()

    def _paint_row(self, p: QPainter, row: int, width: int, name_x: int) -> None:
        post = self.posts[row]
        y = TOP + row * ROW_H
        p.fillRect(QRect(0, y, width, ROW_H), ROW_ALT if row % 2 else BG)
        roster = self.plan.roster
        t1 = self.t0 + int(self.hours * 3600)
        # requirement bands, tinted red where staffing is short
        d = day_start(self.t0) - DAY_S
        while d < t1:
            for req in roster.requirements_of(post.id):
                tpl = roster.templates.get(req.template_id)
                if tpl is None or weekday(d) not in req.weekdays:
                    continue
                bs, be = tpl.span_on(d)
                if be <= self.t0 or bs >= t1:
                    continue
                short = any(v.severity is Severity.STAFFING and v.start == bs
                            for v in self.plan.checker.post_day_violations(post.id, d))
                r = QRectF(self.x_of(bs), y + 1, self.x_of(be) - self.x_of(bs), ROW_H - 2)
                p.fillRect(r, BAND_SHORT if short else BAND)
                if self.mode == "day":
                    need = band_need(roster, req.min_staff, post.id, bs, be,
                                     cfg=self.plan.checker_config)
                    p.setPen(HARD if short else MUTED)
                    p.drawText(r.adjusted(3, 0, -3, 0), Qt.AlignmentFlag.AlignRight
                               | Qt.AlignmentFlag.AlignBottom, f"{tpl.name} 需{need}")
            d += DAY_S
        # day lines
        p.setPen(GRID)
        step = 1 if self.mode == "day" else 24
        for h in range(0, int(self.hours) + 1, step):
            x = self.x_of(self.t0 + h * 3600)
            p.setPen(GRID_DAY if to_local(self.t0 + h * 3600).hour == 0 else GRID)
            p.drawLine(int(x), y, int(x), y + ROW_H)
        # bars
        drag_id = self._drag.assignment.id if self._drag else ""
        for a in self._visible_assignments(post.id):
            if a.id == drag_id:
                continue
            self._paint_bar(p, a)
        if self._drag is not None and self._row_of.get(self._drag.preview.post_id) == row:
            self._paint_bar(p, self._drag.preview, ghost=True)
        # post name column
        p.fillRect(QRect(name_x, y, LEFT, ROW_H), QColor("#16202c"))
        p.setPen(TEXT)
        name = p.fontMetrics().elidedText(post.name, Qt.TextElideMode.ElideRight, LEFT - 76)
        p.drawText(QRect(name_x + 8, y, LEFT - 76, ROW_H), Qt.AlignmentFlag.AlignVCenter, name)
        p.setPen(MUTED)
        p.drawText(QRect(name_x + LEFT - 68, y, 64, ROW_H),
                   Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight, post.kind_label)
        p.setPen(GRID)
        p.drawLine(0, y + ROW_H - 1, width, y + ROW_H - 1)

    def _paint_bar(self, p: QPainter, a: Assignment, ghost: bool = False) -> None:
        # Hot path (a week is ~1,500 bars): shared pens and brushes, no eliding for 1-char labels.
        r = self.bar_rect(a)
        if r is None:
            return
        violations = self.plan.checker.for_assignment(a.id) if not ghost else []
        hard = sum(1 for v in violations if v.is_hard) if violations else 0
        soft = len(violations) - hard
        if ghost:
            color = QColor(BAR_LOCKED if a.locked else BAR)
            color.setAlpha(140)
            p.setBrush(QBrush(color))
        elif a.officer_id == self.highlight_officer:
            p.setBrush(_BRUSH_HIGHLIGHT)
        else:
            p.setBrush(_BRUSH_LOCKED if a.locked else _BRUSH_BAR)
        if a.id == self.selected:
            p.setPen(_PEN_SELECTED)
        elif hard:
            p.setPen(_PEN_HARD)
        elif soft:
            p.setPen(_PEN_SOFT)
        else:
            p.setPen(Qt.PenStyle.NoPen)
        p.drawRoundedRect(r, 3, 3)
        width = r.width()
        if width > 18:
            p.setPen(_PEN_WHITE)
            label = ("锁 " if a.locked else "") + self.plan.roster.officer_name(a.officer_id)
            if width < 44:
                label = label[:1]  # a week of 2-hour bars: the surname still tells them apart
            else:
                label = p.fontMetrics().elidedText(label, Qt.TextElideMode.ElideRight,
                                                   int(width) - 6)
            p.drawText(r.adjusted(4, 0, -2, 0), Qt.AlignmentFlag.AlignVCenter, label)
        if hard or soft:
            # the badge: a dot with the count at the bar's top-right corner
            badge = QRectF(r.right() - 9, r.top() - 5, 14, 14)
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(HARD if hard else SOFT)
            p.drawEllipse(badge)
            p.setPen(QColor("#0b1119"))
            f = QFont(p.font())
            f.setPixelSize(10)
            f.setBold(True)
            p.save()
            p.setFont(f)
            p.drawText(badge, Qt.AlignmentFlag.AlignCenter, str(hard or soft))
            p.restore()

    def badges(self) -> dict[str, tuple[int, int]]:
        """{assignment id: (hard, soft)} of the bars that wear a badge (what the user sees)."""
        out: dict[str, tuple[int, int]] = {}
        for post in self.posts:
            for a in self._visible_assignments(post.id):
                vs = self.plan.checker.for_assignment(a.id)
                if vs:
                    hard = sum(1 for v in vs if v.is_hard)
                    out[a.id] = (hard, len(vs) - hard)
        return out

    # -- dropping officers ---------------------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasFormat(MIME_OFFICER):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        pos = event.position().toPoint()
        row = self.row_at(pos.y())
        if not event.mimeData().hasFormat(MIME_OFFICER) or row < 0 or pos.x() < LEFT:
            self._drop_hint = None
            event.ignore()
        else:
            s, e = self.drop_span(row, self.t_of(pos.x()))
            self._drop_hint = (row, s, e)
            event.acceptProposedAction()
        self.update()

    def dragLeaveEvent(self, event: QEvent) -> None:
        self._drop_hint = None
        self.update()

    def dropEvent(self, event: QDropEvent) -> None:
        self._drop_hint = None
        pos = event.position().toPoint()
        row = self.row_at(pos.y())
        mime = event.mimeData()
        if not mime.hasFormat(MIME_OFFICER) or row < 0 or pos.x() < LEFT:
            event.ignore()
            self.update()
            return
        officer_id = bytes(mime.data(MIME_OFFICER).data()).decode("utf-8")
        start, end = self.drop_span(row, self.t_of(pos.x()))
        event.setDropAction(Qt.DropAction.CopyAction)
        event.accept()
        self.update()
        self.sig_drop_requested.emit(officer_id, self.posts[row].id, start, end)

    # -- dragging bars -------------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        pos = event.position().toPoint()
        a = self.assignment_at(pos)
        self.selected = a.id if a else ""
        self.sig_selection_changed.emit(self.selected)
        if a is not None:
            r = self.bar_rect(a)
            mode = "resize" if r is not None and r.right() - pos.x() <= RESIZE_GRIP else "move"
            self._drag = _Drag(a, mode, pos, a)
        self.update()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        pos = event.position().toPoint()
        if self._drag is None:
            a = self.assignment_at(pos)
            r = self.bar_rect(a) if a else None
            near_edge = r is not None and r.right() - pos.x() <= RESIZE_GRIP
            self.setCursor(Qt.CursorShape.SizeHorCursor if near_edge
                           else Qt.CursorShape.OpenHandCursor if a else Qt.CursorShape.ArrowCursor)
            return
        d = self._drag
        dt = int((pos.x() - d.press.x()) / self.px_per_h * 3600)
        step = self.snap_s()
        dt = int(round(dt / step) * step)
        a = d.assignment
        if d.mode == "resize":
            end = max(a.start + step, a.end + dt)
            d.preview = a.moved(a.post_id, a.start, end)
        else:
            row = self.row_at(pos.y())
            post_id = self.posts[row].id if row >= 0 else a.post_id
            d.preview = a.moved(post_id, a.start + dt, a.end + dt)
        self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        d = self._drag
        self._drag = None
        if d is not None and d.preview != d.assignment:
            self.sig_change_requested.emit(d.preview)
        self.update()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and self.selected:
            a = self.plan.roster.get(self.selected)
            if a is not None:
                self.sig_remove_requested.emit(a)
                return
        super().keyPressEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        a = self.assignment_at(event.pos())
        if a is None:
            return
        menu = QMenu(self)
        lock = menu.addAction(self.tr("解除锁定") if a.locked else self.tr("锁定（自动排班不改动）"))
        remove = menu.addAction(self.tr("删除排班"))
        chosen = menu.exec(event.globalPos())
        if chosen is lock:
            self.sig_lock_requested.emit(a, not a.locked)
        elif chosen is remove:
            self.sig_remove_requested.emit(a)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            a = self.assignment_at(event.pos())
            if a is None:
                QToolTip.hideText()
                return True
            lines = [f"{self.plan.roster.officer_name(a.officer_id)} · "
                     f"{self.plan.roster.post_name(a.post_id)}", fmt_span(a.start, a.end)]
            lines += [f"【{v.severity.label}】{v.message}"
                      for v in self.plan.checker.for_assignment(a.id)]
            QToolTip.showText(event.globalPos(), "\n".join(lines), self)
            return True
        return super().event(event)
