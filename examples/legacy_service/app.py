"""The service over HTTP (Starlette; ``uvicorn legacy_service.app:create_app --factory``).

- ``POST /recordings/{recording_id}`` with ``{"audio_path": ...}`` runs the request path
  (``service.handle_recording``): the slow endpoint, it waits on every collaborator;
- ``GET /health`` answers at once: the cheap endpoint, slow only when the loop is blocked;
- ``GET /metrics``: Prometheus metrics (the event-loop lag histogram), when
  ``prometheus_client`` is installed.

The collaborators come from the environment: ``LEGACY_API_URL``, ``LEGACY_WEBHOOK_URL``,
``LEGACY_REPORTS_DIR``, ``LEGACY_INTEGRATION_URLS`` (comma-separated), ``LEGACY_DATABASE``.
"""

import os

from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Mount, Route

from legacy_service.loop_monitor import loop_monitor_lifespan
from legacy_service.service import handle_recording
from legacy_service.settings import ServiceConfig


async def health(request):
    return JSONResponse({"ok": True})


async def recording(request):
    body = await request.json()
    result = await handle_recording(request.app.state.config, request.path_params["recording_id"], body["audio_path"])
    return JSONResponse(result)


def config_from_env():
    urls = os.environ.get("LEGACY_INTEGRATION_URLS", "")
    return ServiceConfig(
        api_url=os.environ["LEGACY_API_URL"],
        webhook_url=os.environ["LEGACY_WEBHOOK_URL"],
        reports_dir=os.environ["LEGACY_REPORTS_DIR"],
        integration_urls=tuple(u for u in urls.split(",") if u),
        database=os.environ.get("LEGACY_DATABASE", "memory://recordings"),
    )


def create_app(config=None):
    routes = [
        Route("/health", health),
        Route("/recordings/{recording_id}", recording, methods=["POST"]),
    ]
    try:
        import prometheus_client
    except ImportError:
        pass
    else:
        routes.append(Mount("/metrics", app=prometheus_client.make_asgi_app()))
    app = Starlette(routes=routes, lifespan=loop_monitor_lifespan)
    app.state.config = config or config_from_env()
    return app
