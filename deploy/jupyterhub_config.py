"""JupyterHub for Trở về: accounts and login only; the app is the external service ``trove`` (docs/hub.en.md).

Officers sign up (NativeAuthenticator) and a trainer (the hub group ``trainers``) or an administrator approves them
at /hub/authorize. Nobody gets a server of their own: the users' role has no ``servers`` scope, so /hub/spawn
and /user/<name>/... are refused, and logging in leads to the service. Everything specific to a deployment comes
from the environment (/etc/trove/trove.env, see deploy/trove.env.example; ``make hub`` writes one for this machine).
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # deploy/, beside this file (JupyterHub sets __file__)
from trove_authenticator import TroveNativeAuthenticator

env = os.environ.get
c = get_config()  # noqa: F821 (JupyterHub's config loader defines it)

SERVICE = "trove"  # sim.workshop.hub_instance.SERVICE

c.JupyterHub.bind_url = env("TROVE_HUB_PUBLIC_URL", "http://127.0.0.1:18080")
c.JupyterHub.hub_bind_url = env("TROVE_HUB_API_BIND", "http://127.0.0.1:18081")
if env("TROVE_HUB_SSL_CERT"):  # the proxy terminates TLS on the public URL (https://… in TROVE_HUB_PUBLIC_URL)
    c.JupyterHub.ssl_cert = env("TROVE_HUB_SSL_CERT")
    c.JupyterHub.ssl_key = env("TROVE_HUB_SSL_KEY")
c.JupyterHub.db_url = env("TROVE_HUB_DB_URL", "postgresql+psycopg://trove@127.0.0.1:18432/jupyterhub")
c.JupyterHub.cookie_secret_file = env("TROVE_HUB_COOKIE_SECRET_FILE", "/var/lib/trove/hub-cookie-secret")
c.JupyterHub.pid_file = env("TROVE_HUB_PID_FILE", "")
c.JupyterHub.default_url = f"/services/{SERVICE}/"
c.ConfigurableHTTPProxy.api_url = env("TROVE_PROXY_API_URL", "http://127.0.0.1:18082")
if env("TROVE_CHP"):
    c.ConfigurableHTTPProxy.command = [env("TROVE_CHP")]
c.ConfigurableHTTPProxy.pid_file = env("TROVE_PROXY_PID_FILE", "/var/lib/trove/proxy.pid")


# The province's own authenticator (LDAP, OAuth…) replaces this: TROVE_HUB_AUTHENTICATOR=ldapauthenticator.LDAPAuthenticator
c.JupyterHub.authenticator_class = env("TROVE_HUB_AUTHENTICATOR") or TroveNativeAuthenticator
c.Authenticator.admin_users = {name for name in env("TROVE_HUB_ADMINS", "").split(",") if name}
c.Authenticator.allow_all = True  # NativeAuthenticator lets in only the users an administrator approved
c.NativeAuthenticator.minimum_password_length = 8

c.JupyterHub.load_groups = {"trainers": {"users": [name for name in env("TROVE_TRAINERS", "").split(",") if name]}}
c.JupyterHub.load_roles = [
    # No "self": no server of one's own. The two read scopes are needed for the service's OAuth token exchange.
    {
        "name": "user",
        "scopes": [f"access:services!service={SERVICE}", "read:users:name!user", "read:users:groups!user"],
    },
    # Trainers approve sign-ups (NativeAuthenticator's /hub/authorize asks for admin:users); JupyterHub lets only
    # administrators make or change administrators, and there are no servers to reach.
    {"name": "trainer", "scopes": ["admin:users"], "groups": ["trainers"]},
]
c.JupyterHub.services = [
    {
        "name": SERVICE,
        "url": env("TROVE_SERVICE_URL", "http://127.0.0.1:18090"),  # nginx, in front of the instances
        "api_token": env("JUPYTERHUB_API_TOKEN"),  # the instances' token (the same file: deploy/trove.env)
        "oauth_client_id": f"service-{SERVICE}",
        "oauth_redirect_uri": f"/services/{SERVICE}/oauth_callback",
        "oauth_no_confirm": True,
    }
]
