"""The hub's login for Trở về: NativeAuthenticator 1.3, mended for JupyterHub 6 and for a room logging in at once.

deploy/jupyterhub_config.py uses it from beside itself; a Zero to JupyterHub hub image copies this file onto its
Python path (deploy/k8s/z2jh-values.yaml). It imports JupyterHub's packages only, not the app.
"""

import asyncio

import bcrypt
from nativeauthenticator import NativeAuthenticator
from nativeauthenticator.handlers import LoginHandler


class _NoTimer:
    """JupyterHub 6 dropped ``statsd``; NativeAuthenticator 1.3's login still times itself with it."""

    def timer(self, name):
        return self

    def start(self):
        return self

    def stop(self, send=True):
        return None


class _Login(LoginHandler):
    statsd = _NoTimer()


class TroveNativeAuthenticator(NativeAuthenticator):
    """NativeAuthenticator with its login page working on JupyterHub 6, and its password check off the event loop.

    A bcrypt check takes about 0.25 s of a core. NativeAuthenticator 1.3 makes it inside the hub's one event loop,
    so a room logging in at once queued behind it and the hub answered nothing else meanwhile (80 logins: 33.6 s
    median, docs/performance.md). bcrypt releases the GIL: in threads the checks use every core and the hub
    keeps serving. The rest is NativeAuthenticator 1.3's ``authenticate`` as it is.
    """

    def get_handlers(self, app):
        return [(path, _Login if handler is LoginHandler else handler) for path, handler in super().get_handlers(app)]

    async def authenticate(self, handler, data):
        username = self.normalize_username(data["username"])
        user = self.get_user(username)
        if not user or (self.allowed_failed_logins and self.is_blocked(username)):
            return None
        stored = user.password  # read here: the database session belongs to the event loop's thread
        password_ok = await asyncio.to_thread(bcrypt.checkpw, data["password"].encode(), stored)
        if user.is_authorized and password_ok and (not user.has_2fa or user.is_valid_token(data.get("2fa"))):
            self.successful_login(username)
            return username
        self.add_login_attempt(username)
        return None
