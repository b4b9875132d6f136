"""Who may do what on a Voilà server that many hub users share (design H of the scale-out notes).

Each page's kernel belongs to the hub user whose page request took it (``sim.workshop.kernel_owners``);
``VoilaOnlyAuthorizer`` lets a user read and talk to their own kernels only, and nothing else: no kernel list (in a
shared server it would hand out every page's kernel id), no kernel start, no contents, sessions or kernel specs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from jupyter_server.services.kernels.handlers import MainKernelHandler
from jupyterhub.singleuser.extension import JupyterHubAuthorizer, JupyterHubIdentityProvider

if TYPE_CHECKING:
    from sim.workshop.kernel_owners import KernelOwners

# What a Voilà page needs: GET /api/kernels/<id> and its websocket.
ALLOWED = frozenset({("kernels", "read"), ("kernels", "execute")})


class HubIdentityProvider(JupyterHubIdentityProvider):
    """The hub's OAuth login, as Voilà builds it (Voilà passes a ``token``: the hub's login has none of its own)."""

    def __init__(self, token: str | None = None, **kwargs: object):
        super().__init__(**kwargs)


class VoilaOnlyAuthorizer(JupyterHubAuthorizer):
    """JupyterHub's check (the user may access this service), narrowed to ``ALLOWED`` on the user's own kernels."""

    def is_authorized(self, handler, user, action, resource) -> bool:
        """Whether ``user`` may ``action`` on ``resource`` through ``handler``."""
        if (resource, action) not in ALLOWED or isinstance(handler, MainKernelHandler):
            return False
        kernel_id = handler.path_kwargs.get("kernel_id")
        owners: KernelOwners = handler.settings["trove_app"].kernel_owners
        if kernel_id is None or not owners.may_use(kernel_id, user.username):
            return False
        return super().is_authorized(handler, user, action, resource)
