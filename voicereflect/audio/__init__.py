"""Audio in and out: microphone and file sources, levels, playback. Only here: sounddevice."""
