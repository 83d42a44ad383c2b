"""Email domains as mail servers take them: IDNA 2008, with the UTS 46 mapping browsers use.

Python's own `idna` codec follows IDNA 2003, which maps `faß.de` to `fass.de`,
another registered domain: a draft would go to someone else. The `idna`
package (imported here only, when a domain is checked or written) gives
`xn--fa-hia.de`, and refuses what is no domain at all (`xn--zz.com`, `-a.com`).
"""

from __future__ import annotations


def ascii_domain(domain: str) -> str:
    """`domain` in the ASCII form DNS and mail servers use; ValueError if it is not a domain."""
    import idna

    try:
        return idna.encode(domain, uts46=True).decode("ascii")
    except (idna.IDNAError, UnicodeError) as exc:
        raise ValueError(f"{domain!r} is not a domain name ({exc})") from None
