"""The request path: one call recording from upload to report."""

from legacy_service.auth import fetch_token
from legacy_service.notify import notify_integrations
from legacy_service.reports import write_report
from legacy_service.store import save_recording
from legacy_service.transcribe import transcribe
from legacy_service.webhooks import deliver_webhook


async def handle_recording(config, recording_id, audio_path):
    """Transcribe a recording, deliver the webhook, notify integrations, write and record the report."""
    token = await fetch_token(config.api_url, config.client_id, config.client_secret)
    text = await transcribe(config.api_url, token, audio_path)
    event = {"type": "transcript.ready", "recording": recording_id, "text": text}
    webhook_status = await deliver_webhook(config.webhook_url, event)
    notified = await notify_integrations(config.integration_urls, event)
    report = {
        "recording": recording_id,
        "text": text,
        "webhook_status": webhook_status,
        "integrations": notified,
    }
    path = await write_report(config.reports_dir, recording_id, report)
    await save_recording(config.database, recording_id, path)
    return {"report": path, **report}
