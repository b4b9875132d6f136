"""Which hub user's page each kernel serves, so that nobody else can read or drive it (``sim.workshop.lockdown``)."""

from __future__ import annotations


class KernelOwners(dict[str, str]):
    """Kernel id → the hub user whose page took it (a pooled kernel no page took yet has no owner).

    >>> owners = KernelOwners()
    >>> owners.claim("k1", "lan")
    >>> owners.may_use("k1", "lan"), owners.may_use("k1", "minh"), owners.may_use("k2", "lan")
    (True, False, False)
    >>> owners.keep_only({"k2"}); owners
    {}
    """

    def claim(self, kernel_id: str, user: str) -> None:
        """Give ``kernel_id`` to ``user``."""
        self[kernel_id] = user

    def may_use(self, kernel_id: str, user: str) -> bool:
        """Whether ``user`` owns ``kernel_id``."""
        return bool(user) and self.get(kernel_id) == user

    def keep_only(self, live: set[str]) -> None:
        """Forget kernels that are no longer running."""
        for kernel_id in set(self) - live:
            del self[kernel_id]
