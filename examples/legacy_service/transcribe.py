"""Speech to text: upload a recording, get its transcript."""

import requests


async def transcribe(api_url, token, audio_path):
    with open(audio_path, "rb") as f:
        audio = f.read()
    response = requests.post(
        f"{api_url}/v1/transcribe",
        headers={"Authorization": f"Bearer {token}"},
        files={"audio": ("recording.wav", audio, "audio/wav")},
        timeout=30,
    )
    response.raise_for_status()
    return response.json()["text"]
