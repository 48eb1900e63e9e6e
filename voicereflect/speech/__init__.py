"""Speech: Vosk recognizer, models, turn-taking, spoken output. Only here: vosk, pyttsx3."""
