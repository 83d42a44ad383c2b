"""The CalDAV task list, through python-caldav: the few operations the engine needs.

python-caldav does the HTTP, the authentication, the XML and the servers'
quirks (discovery, MKCALENDAR, sync-collection with its fallback, multiget).
The writes go through its client's plain PUT and DELETE so that each carries
exactly the precondition the engine asks for (If-None-Match: * to create,
If-Match with the last ETag to update or delete) and a 412 comes back as
`Conflict`, to be merged again. Every failure of the server or the network
becomes a FollowupError with a plain message.
"""

from __future__ import annotations

import contextlib
import ssl
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from followup.errors import FollowupError

try:
    from caldav.davclient import DAVClient
    from caldav.lib import error as dav_error
except ImportError as missing:  # pragma: no cover - shown by the CLI
    raise FollowupError(
        "followup sync needs the caldav library, which is not installed",
        hint="install it with: pip install 'followup[sync]'",
    ) from missing

CONTENT_TYPE = {"Content-Type": "text/calendar; charset=utf-8"}


class Conflict(Exception):
    """412 Precondition Failed: the to-do changed (or appeared) since it was read."""


class ListGone(FollowupError):
    """The list the state names is no longer on the server."""


@dataclass
class Listing:
    """What changed on the server: href -> ETag, the hrefs deleted, the new token.
    A full listing (`full`) names every to-do and no deletions."""

    changed: dict[str, str]
    deleted: set[str]
    token: str | None
    full: bool


class Remote:
    """One CalDAV account and, once `open_list` ran, one of its lists."""

    def __init__(
        self,
        url: str,
        username: str | None = None,
        password: str | None = None,
        *,
        timeout: int = 30,
        on_request: Callable[[str, str], None] | None = None,
    ) -> None:
        self.url = url
        self.requests = 0
        self._on_request = on_request
        self.client: Any = DAVClient(url=url, username=username, password=password, timeout=timeout)
        inner: Any = self.client.request

        def counted(url: str, method: str = "GET", *args: Any, **kwargs: Any) -> Any:
            self.requests += 1
            if self._on_request is not None:
                self._on_request(method, str(url))
            return inner(url, method, *args, **kwargs)

        self.client.request = counted  # type: ignore[method-assign]
        self.calendar: Any = None

    def serves(self, url: str) -> bool:
        """Whether `url` (a list's, from the state) is on this account's server."""
        return _origin(url) == _origin(self.url)

    # -- the list -------------------------------------------------------

    def open_list(self, list_url: str | None, name: str, create: bool = True) -> str | None:
        """The list at `list_url` (no request), or the one named `name`, created with VTODO support."""
        if list_url:
            self.calendar = self.client.calendar(url=list_url)
            return list_url
        with self.guard():
            principal = self.client.principal()
            for calendar in principal.calendars():
                if calendar.get_display_name() == name:
                    if "VTODO" not in calendar.get_supported_components():
                        raise FollowupError(
                            f"the CalDAV list {name!r} holds only events, not tasks",
                            hint="name a task list with --list, or one that does not exist yet to have it made",
                        )
                    self.calendar = calendar
                    return str(calendar.url)
            if not create:
                return None
            self.calendar = principal.make_calendar(name=name, supported_calendar_component_set=["VTODO"])
            return str(self.calendar.url)

    # -- reading --------------------------------------------------------

    def changes(self, token: str | None) -> Listing:
        """The changes since `token` (RFC 6578); a full listing when there is none or the server refuses it."""
        with self.guard():
            if token:
                try:
                    result = self.calendar.get_objects_by_sync_token(token, load_objects=False, disable_fallback=True)
                except dav_error.NotFoundError:
                    raise
                except dav_error.DAVError:
                    # Refused token (RFC 6578: 403 with DAV:valid-sync-token; servers word it
                    # differently): a full listing follows. A real permission problem fails it too.
                    pass
                else:
                    deleted = {_path(u) for u in result.deleted_urls}
                    changed = {h: e for h, e in _etags(result).items() if h not in deleted}
                    return Listing(changed, deleted, result.sync_token, False)
            result = self.calendar.get_objects_by_sync_token(None, load_objects=False)
            token = result.sync_token if not str(result.sync_token).startswith("fake-") else None
            gone = {_path(u) for u in getattr(result, "deleted_urls", None) or ()}  # Radicale lists its history
            return Listing({h: e for h, e in _etags(result).items() if h not in gone and e}, set(), token, True)

    def read(self, hrefs: list[str]) -> dict[str, tuple[str | None, bytes]]:
        """href -> (ETag, data) of the to-dos at `hrefs`, in one calendar-multiget."""
        if not hrefs:
            return {}
        with self.guard():
            objects = self.calendar.multiget([self.calendar.url.join(quote(h, safe="/@:")) for h in hrefs])
        found: dict[str, tuple[str | None, bytes]] = {}
        for obj in objects:
            etag = obj.props.get("{DAV:}getetag") if obj.props else None
            found[_path(obj.url)] = (str(etag) if etag else None, _bytes(obj.data))
        return found

    def get(self, href: str) -> tuple[str | None, bytes] | None:
        """One to-do, or None when it is gone."""
        with self.guard():
            response = self.client.request(self._url(href), "GET")
            if response.status == 404:
                return None
            _check(response, "read a to-do")
        return response.headers.get("ETag"), _bytes(response.raw)

    # -- writing --------------------------------------------------------

    def href_for(self, uid: str) -> str:
        if self.calendar is None:  # a dry run before the list exists
            return uid + ".ics"
        return _path(self.calendar.url).rstrip("/") + "/" + uid + ".ics"

    def create(self, href: str, data: bytes) -> str | None:
        """PUT with If-None-Match: *; Conflict when something is already there."""
        return self._put(href, data, {"If-None-Match": "*"})

    def update(self, href: str, etag: str, data: bytes) -> str | None:
        """PUT with If-Match; Conflict when the to-do changed or went since `etag`."""
        return self._put(href, data, {"If-Match": etag})

    def delete(self, href: str, etag: str) -> None:
        """DELETE with If-Match; a to-do already gone is fine."""
        with self.guard():
            response = self.client.delete(self._url(href), {"If-Match": etag})
            if response.status == 412:
                raise Conflict(href)
            if response.status != 404:
                _check(response, "remove a to-do")

    def _put(self, href: str, data: bytes, condition: dict[str, str]) -> str | None:
        with self.guard():
            response = self.client.put(self._url(href), data.decode(), {**CONTENT_TYPE, **condition})
            if response.status == 412:
                raise Conflict(href)
            _check(response, "write a to-do")
        etag = response.headers.get("ETag")
        return str(etag) if etag else None

    def _url(self, href: str) -> str:
        return str(self.calendar.url.join(quote(href, safe="/@:")))

    # -- errors ---------------------------------------------------------

    @contextlib.contextmanager
    def guard(self) -> Iterator[None]:
        """Failures of the network or the server as plain FollowupErrors."""
        try:
            yield
        except (FollowupError, Conflict):
            raise
        except dav_error.AuthorizationError as refused:
            raise FollowupError(
                f"the CalDAV server at {self.url} refused the user name or password",
                hint="check FOLLOWUP_CALDAV_USER and the password; nothing changed",
            ) from refused
        except dav_error.NotFoundError as gone:
            where = self.calendar.url if self.calendar is not None else self.url
            raise ListGone(
                f"the CalDAV list {where} is no longer on the server; nothing changed",
                hint="if it was removed on purpose, run `followup sync --recreate` to make it anew and send every step",
            ) from gone
        except dav_error.DAVError as failed:
            raise FollowupError(
                f"the server at {self.url} did not answer as a CalDAV server ({_short(failed)})",
                hint="check FOLLOWUP_CALDAV_URL; nothing changed",
            ) from failed
        except OSError as unreachable:  # niquests' errors are OSErrors; TLS errors too
            tls = _tls_failure(unreachable)
            if tls is not None:
                raise _tls_error(self.url, tls) from unreachable
            raise FollowupError(
                f"cannot reach the CalDAV server at {self.url}: {_short(unreachable)}",
                hint="nothing changed; the next sync catches up",
            ) from unreachable
        except Exception as odd:  # an answer that is not XML or not DAV
            raise FollowupError(
                f"the server at {self.url} did not answer as a CalDAV server ({_short(odd)})",
                hint="check FOLLOWUP_CALDAV_URL; nothing changed",
            ) from odd


def _tls_failure(error: BaseException) -> ssl.SSLError | None:
    """The TLS error at the root of a network error, if there is one: niquests and urllib3 wrap it
    (as the cause, in their arguments or as a retry's reason) in errors whose text says little."""
    seen: set[int] = set()
    stack: list[object] = [error]
    while stack:
        found = stack.pop()
        if not isinstance(found, BaseException) or id(found) in seen:
            continue
        if isinstance(found, ssl.SSLError):
            return found
        seen.add(id(found))
        stack += [found.__cause__, found.__context__, getattr(found, "reason", None), *found.args]
    return None


def _tls_error(url: str, error: ssl.SSLError) -> FollowupError:
    if isinstance(error, ssl.SSLCertVerificationError):
        return FollowupError(
            f"the CalDAV server at {url} showed a certificate that cannot be trusted "
            f"({error.verify_message or error.reason or 'certificate verify failed'})",
            hint="nothing changed; the next sync catches up; check FOLLOWUP_CALDAV_URL, and the server's certificate",
        )
    what = str(error.reason or "").replace("_", " ").lower() or _short(error)
    return FollowupError(
        f"cannot talk securely with the CalDAV server at {url} (TLS: {what})",
        hint="nothing changed; the next sync catches up; check FOLLOWUP_CALDAV_URL "
        "(https:// only for a server that speaks TLS)",
    )


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port or {"http": 80, "https": 443}.get(scheme)
    except ValueError:
        port = None
    return scheme, (parts.hostname or "").lower(), port


def _path(url: Any) -> str:
    """An href in one spelling: servers and caldav differ on what they percent-encode."""
    return unquote(urlsplit(str(url)).path)


def _etags(result: Any) -> dict[str, str]:
    return {_path(obj.url): str(obj.props.get("{DAV:}getetag", "")) for obj in result.objects}


def _check(response: Any, what: str) -> None:
    if response.status >= 300:
        raise dav_error.DAVError(f"could not {what}: HTTP {response.status} {response.reason}")


def _bytes(data: Any) -> bytes:
    return data if isinstance(data, bytes) else str(data).encode()


def _short(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return text[0][:200] if text else type(error).__name__
