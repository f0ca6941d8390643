"""The red-alert sound: a short two-tone WAV played in a loop with QSoundEffect while an
unacknowledged red alert exists, mutable per workstation (QSettings ``alerts/mute``).

The WAV is generated once into the cache folder (no binary file in the repository). Headless
machines may have no audio device: ``wanted`` still says whether the sound *should* play, and
``audible`` says whether Qt reports it playing, so the UI can say "no sound device" honestly.
"""

from __future__ import annotations

import logging
import math
import struct
import tempfile
import wave
from pathlib import Path

from PySide6.QtCore import QObject, QSettings, QStandardPaths, QUrl, Signal

log = logging.getLogger(__name__)

MUTE_KEY = "alerts/mute"


def alarm_wav(path: Path | None = None) -> Path:
    """Write (if missing) a 0.6 s 880/660 Hz alarm tone as 16-bit mono WAV and return its path."""
    if path is None:
        base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.CacheLocation)
        folder = Path(base or tempfile.gettempdir()) / "sounds"
        path = folder / "red_alert.wav"
    if path.exists() and path.stat().st_size > 1000:
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    rate = 22_050
    frames = bytearray()
    for i in range(int(rate * 0.6)):
        t = i / rate
        freq = 880.0 if t < 0.3 else 660.0
        # 10 ms fades at each tone edge avoid clicks.
        edge = min(t % 0.3, 0.3 - t % 0.3)
        amp = 0.45 * min(1.0, edge / 0.01)
        frames += struct.pack("<h", int(amp * 32767 * math.sin(2 * math.pi * freq * t)))
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(bytes(frames))
    return path


class AlertSound(QObject):
    """Loops the alarm while ``set_wanted(True)`` and not muted."""

    sig_state_changed = Signal()
    """wanted, muted or audible changed."""

    def __init__(self, settings: QSettings | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.settings = settings or QSettings()
        self.wanted = False
        self.effect = None
        try:
            from PySide6.QtMultimedia import QSoundEffect

            self.effect = QSoundEffect(self)
            self.effect.setSource(QUrl.fromLocalFile(str(alarm_wav())))
            self.effect.setLoopCount(QSoundEffect.Loop.Infinite.value)
            self.effect.setVolume(0.8)
            self.effect.playingChanged.connect(self.sig_state_changed)
        except Exception:
            # No multimedia plugin: the inbox still flashes, and says there is no sound.
            log.exception("alert sound unavailable")
            self.effect = None

    @property
    def muted(self) -> bool:
        return bool(self.settings.value(MUTE_KEY, False, type=bool))

    def set_muted(self, muted: bool) -> None:
        self.settings.setValue(MUTE_KEY, muted)
        self._apply()

    def set_wanted(self, wanted: bool) -> None:
        if wanted != self.wanted:
            self.wanted = wanted
            self._apply()

    @property
    def looping(self) -> bool:
        """True while we have asked Qt to loop the sound (independent of a device existing)."""
        return self.wanted and not self.muted and self.effect is not None

    @property
    def audible(self) -> bool:
        return self.effect is not None and self.effect.isPlaying()

    def _apply(self) -> None:
        if self.effect is not None:
            if self.looping:
                if not self.effect.isPlaying():
                    self.effect.play()
            else:
                self.effect.stop()
        self.sig_state_changed.emit()
