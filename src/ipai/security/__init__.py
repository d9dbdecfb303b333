"""Security: who is calling (users, API keys, sessions), what each role may do, whose private
data a call may see (tenants), how often (rate limits), and an append-only record of it (audit).

Laptop mode (setting ``auth`` off, the default) acts as the local administrator for every call;
server mode (``IPAI_AUTH=true``) authenticates each request and enforces :mod:`.roles`.
Scenario code never checks roles: the API checks the action of each endpoint before the service is
called, and the store scopes private rows to the caller's tenant (:mod:`.context`).
"""

from ipai.security.context import LOCAL, Principal, acting_as, current
from ipai.security.roles import ACTIONS, ROLES, allowed

__all__ = ["ACTIONS", "LOCAL", "Principal", "ROLES", "acting_as", "allowed", "current"]
