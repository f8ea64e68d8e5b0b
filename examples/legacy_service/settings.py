"""Where the service's collaborators live."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ServiceConfig:
    api_url: str  # the speech API: /oauth/token and /v1/transcribe
    webhook_url: str  # the customer's webhook endpoint
    reports_dir: str  # where a JSON report per recording is written
    client_id: str = "legacy-service"
    client_secret: str = "s3cret"
    integration_urls: tuple = field(default_factory=tuple)  # CRM, chat, ticketing, ...
    database: str = "memory://recordings"  # the fakedb database the reports are recorded in
