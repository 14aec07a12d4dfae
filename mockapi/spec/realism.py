"""What a realistic value looks like, by field name: the heuristics table of the value generator.

Each row says: a field whose name matches `field` (a regular expression matching the whole
name), inside an object whose name matches `within` (searched in the component's short name,
such as `MySqlDatabase`, or the property that holds an inline object), gets values made by
`make`. The first matching row wins, so specific rows come before general ones. A row serves
a field only where its `shape` fits the field's `format` (an e-mail row never fills a `uri`).
Array items are looked up under their array's name (`nameservers` items are name servers).

Values that belong together are made from the enclosing object's hash (`o`), not the field's:
a contact's first name, last name, e-mail and company agree; a database's name and hostname
share their six characters. Everything else draws from the field's own hash (`Draw`).
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from mockapi.ids import SHORT_ID_ALPHABET, UUID, uuid_from_bits
from mockapi.spec import pools
from mockapi.spec.draw import Draw, mix

# A maker: (the field's draw, the enclosing object's hash, the hint) -> value.
Maker = Callable[[Draw, int, "Hint"], Any]


@dataclass(frozen=True)
class Hint:
    """What a field tells about itself: its name, its object's name, format and example."""

    name: str
    parent: str = ""
    fmt: str | None = None
    example: Any = None
    max_length: int | None = None


# Which formats a shape of value satisfies (None: the schema names no format).
SHAPE_FORMATS: dict[str, frozenset[str | None]] = {
    "text": frozenset({None}),
    "email": frozenset({None, "email", "idn-email"}),
    "domain": frozenset({None, "hostname", "idn-hostname", "idn-dnsname", "naked-domain"}),
    "host": frozenset({None, "hostname", "idn-hostname", "idn-dnsname"}),
    "uri": frozenset({None, "uri", "url"}),
    "ipv4": frozenset({None, "ipv4"}),
    "uuid": frozenset({None, "uuid"}),
}
# Formats the generator makes on purpose; any other format (hexdump, bytes, ...) is a label
# that validators do not check, so name rows may serve it.
KNOWN_FORMATS = frozenset(
    {
        "uuid",
        "date-time",
        "date",
        "email",
        "idn-email",
        "uri",
        "url",
        "hostname",
        "idn-hostname",
        "idn-dnsname",
        "naked-domain",
        "ipv4",
        "ipv6",
        "byte",
        "base64",
        "binary",
    }
)


def fits(shape: str, fmt: str | None) -> bool:
    """Whether a row making `shape` values may serve a field of format `fmt`."""
    if fmt is not None and fmt not in KNOWN_FORMATS:
        fmt = None
    return fmt in SHAPE_FORMATS[shape]


# --- values that belong to one object: drawn from the object's hash -----------------------


def _at(pool: Sequence[str], o: int, salt: int) -> str:
    return pool[mix(o ^ salt) % len(pool)]


def first_name(o: int) -> str:
    """The given name of the person an object describes."""
    return _at(pools.first_names(), o, 0x1F)


def last_name(o: int) -> str:
    """The family name of the person an object describes."""
    return _at(pools.last_names(), o, 0x2F)


def company(o: int) -> str:
    """The company an object belongs to."""
    return _at(pools.companies(), o, 0x3F)


def org_domain(o: int) -> str:
    """The object's own domain: its company's slug under a plausible TLD."""
    return f"{pools.slug(company(o))}.{_at(pools.TLDS, o, 0x4F)}"


def six(o: int, salt: int = 0x5F) -> str:
    """Six short-id characters shared by an object's fields (a database's name and host)."""
    x = mix(o ^ salt)
    return "".join(SHORT_ID_ALPHABET[(x >> (6 * i)) % 36] for i in range(6))


# --- makers ---------------------------------------------------------------------------------


def choice(options: Sequence[Any]) -> Maker:
    """A maker picking one of `options`."""
    return lambda d, o, h: d.pick(options)


def full_name(d: Draw, o: int, h: Hint) -> str:
    return f"{first_name(o)} {last_name(o)}"


def given_name(d: Draw, o: int, h: Hint) -> str:
    return first_name(o)


def family_name(d: Draw, o: int, h: Hint) -> str:
    return last_name(o)


def company_name(d: Draw, o: int, h: Hint) -> str:
    return company(o)


def email(d: Draw, o: int, h: Hint) -> str:
    first, last = pools.ascii_name(first_name(o)), pools.ascii_name(last_name(o))
    style = d.below(8)
    if style < 4:
        local = f"{first}.{last}"
    elif style == 4:
        local = f"{first[0]}.{last}"
    elif style == 5:
        local = d.pick(("info", "kontakt", "support", "office", "buchhaltung", "webmaster"))
    else:
        local = f"{first}{d.between(1, 99)}"
    domain = d.pick(pools.MAIL_PROVIDERS) if style == 7 else org_domain(o)
    return f"{local}@{domain}"


def domain(d: Draw, o: int, h: Hint) -> str:
    return org_domain(o)


def hostname(d: Draw, o: int, h: Hint) -> str:
    style = d.below(4)
    if style == 0:
        return f"p-{d.alnum(6)}.project.space"
    if style == 1:
        return f"{d.alnum(6)}.project.space"
    return f"{d.pick(('www', 'shop', 'blog', 'staging', 'app'))}.{org_domain(o)}"


def url(d: Draw, o: int, h: Hint) -> str:
    path = d.pick(("", "shop/", "blog/", "kontakt", "api/v1/status", "impressum", "de/"))
    return f"https://{d.pick(('www.', '', 'app.'))}{org_domain(o)}/{path}"


def webhook_url(d: Draw, o: int, h: Hint) -> str:
    return f"https://hooks.{org_domain(o)}/mittwald/{d.pick(pools.words())}"


def image_url(d: Draw, o: int, h: Hint) -> str:
    return f"https://static.{org_domain(o)}/img/{d.pick(('logo', 'icon', 'avatar'))}.png"


def mysql_name(d: Draw, o: int, h: Hint) -> str:
    return f"mysql_{six(o)}"


def mysql_user(d: Draw, o: int, h: Hint) -> str:
    return f"dbu_{six(o, 0x6F)}"


def redis_name(d: Draw, o: int, h: Hint) -> str:
    return f"redis_{six(o)}"


def mysql_host(d: Draw, o: int, h: Hint) -> str:
    return f"mysql-{six(o)}.pg-{six(o, 0x7F)}.db.project.host"


def redis_host(d: Draw, o: int, h: Hint) -> str:
    return f"redis-{six(o)}.pg-{six(o, 0x7F)}.db.project.host"


def external_host(d: Draw, o: int, h: Hint) -> str:
    return f"mysql.{_at(pools.CLUSTERS, o, 0x8F)}.project.host"


def short_id(prefix: str) -> Maker:
    """A maker of `<prefix>xxxxxx` short ids (six lowercase letters and digits)."""
    return lambda d, o, h: f"{prefix}{d.alnum(6)}"


def shaped_short_id(d: Draw, o: int, h: Hint) -> str:
    """A short id with the prefix the example shows (`a-XXXXXX` -> `a-` + six)."""
    example = h.example if isinstance(h.example, str) else ""
    found = re.match(r"([a-z]+-)", example)
    prefix = found[1] if found else (h.parent[:1].lower() or "x") + "-"
    return f"{prefix}{d.alnum(6)}"


def version(d: Draw, o: int, h: Hint) -> str:
    return f"{d.between(1, 9)}.{d.between(0, 12)}.{d.between(0, 30)}"


def php_version(d: Draw, o: int, h: Hint) -> str:
    return f"8.{d.between(1, 4)}.{d.between(1, 28)}"


def app_version(d: Draw, o: int, h: Hint) -> str:
    return f"{d.between(3, 13)}.{d.between(0, 9)}.{d.between(0, 20)}"


def cron_path(d: Draw, o: int, h: Hint) -> str:
    return f"/html/{d.pick(pools.APP_DIRS)}/{d.pick(pools.CRON_SCRIPTS)}"


def install_path(d: Draw, o: int, h: Hint) -> str:
    return f"/html/{d.pick(pools.APP_DIRS)}"


def file_path(d: Draw, o: int, h: Hint) -> str:
    return f"/html/{d.pick(pools.APP_DIRS)}/{d.pick(('config', 'public', 'var/log', 'uploads'))}"


def home_path(d: Draw, o: int, h: Hint) -> str:
    return f"/home/p-{six(o, 0x9F)}"


def log_path(d: Draw, o: int, h: Hint) -> str:
    return f"/var/log/cronjobs/cron-{six(o, 0xAF)}-{d.digits(8)}.log"


def project_description(d: Draw, o: int, h: Hint) -> str:
    return f"{company(o)} {d.pick(pools.PROJECT_KINDS)}"


def phone(d: Draw, o: int, h: Hint) -> str:
    return f"+49{d.pick(pools.PHONE_AREAS)}{d.digits(d.between(6, 8))}"


def dashed_phone(d: Draw, o: int, h: Hint) -> str:
    return f"+49-{d.pick(pools.PHONE_AREAS)}-{d.digits(d.between(6, 8))}"


def iban(d: Draw, o: int, h: Hint) -> str:
    """A German IBAN whose check digits are right (ISO 13616, mod 97)."""
    bban = d.digits(18)
    check = 98 - int(bban + "131400") % 97  # "DE" is 13 14, then "00"
    return f"DE{check:02d}{bban}"


def vat_id(d: Draw, o: int, h: Hint) -> str:
    return f"DE{d.between(1, 9)}{d.digits(8)}"


def street(d: Draw, o: int, h: Hint) -> str:
    return _at(pools.streets(), o, 0xBF)


def house_number(d: Draw, o: int, h: Hint) -> str:
    number = str(d.between(1, 180))
    return number + d.pick(("", "", "", "a", "b", "-4"))


def zip_code(d: Draw, o: int, h: Hint) -> str:
    return f"{d.between(1, 99):02d}{d.digits(3)}"


def city(d: Draw, o: int, h: Hint) -> str:
    return _at(pools.cities(), o, 0xCF)


def password(d: Draw, o: int, h: Hint) -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789!#%+-?"
    return "".join(d.pick(alphabet) for _ in range(d.between(14, 20)))


def token(d: Draw, o: int, h: Hint) -> str:
    return base64.urlsafe_b64encode(d.bits().to_bytes(8) + bytes.fromhex(d.hex(48))).decode()


def jwt(d: Draw, o: int, h: Hint) -> str:
    head = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9"
    body = base64.urlsafe_b64encode(f'{{"sub":"{d.hex(12)}","iat":1700000000}}'.encode())
    return f"{head}.{body.decode().rstrip('=')}.{token(d, o, h).rstrip('=')}"


def user_name(d: Draw, o: int, h: Hint) -> str:
    return pools.ascii_name(first_name(o)).replace(".", "") + d.digits(2)


def numeric_code(d: Draw, o: int, h: Hint) -> str:
    return d.digits(6)


def token_or_code(d: Draw, o: int, h: Hint) -> str:
    """A random token, or digits where the example shows a numeric code (`"123456"`)."""
    if isinstance(h.example, str) and h.example.isdigit():
        return d.digits(len(h.example))
    if h.max_length is not None and h.max_length <= 16:
        return d.digits(h.max_length)
    return token(d, o, h)


def auth_code(d: Draw, o: int, h: Hint) -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789#+-!"
    return "".join(d.pick(alphabet) for _ in range(12))


def ssh_public_key(d: Draw, o: int, h: Hint) -> str:
    key = base64.b64encode(bytes.fromhex("0000000b7373682d6564323535313900000020" + d.hex(64)))
    return f"ssh-ed25519 {key.decode()} {pools.ascii_name(first_name(o))}@laptop"


def fingerprint(d: Draw, o: int, h: Hint) -> str:
    return ":".join(d.hex(2) for _ in range(16))


def sha256(d: Draw, o: int, h: Hint) -> str:
    return d.hex(64)


def digest(d: Draw, o: int, h: Hint) -> str:
    return f"sha256:{d.hex(64)}"


def pem(label: str) -> Maker:
    """A maker of a short PEM block (base64 body, 64 characters a line)."""

    def make(d: Draw, o: int, h: Hint) -> str:
        body = base64.b64encode(bytes.fromhex(d.hex(144))).decode()
        lines = "\n".join(body[i : i + 64] for i in range(0, len(body), 64))
        return f"-----BEGIN {label}-----\n{lines}\n-----END {label}-----\n"

    return make


def ipv4(d: Draw, o: int, h: Hint) -> str:
    first = d.pick((37, 46, 78, 85, 91, 134, 141, 176, 185, 188, 193, 212, 217))
    return f"{first}.{d.between(0, 255)}.{d.between(0, 255)}.{d.between(1, 254)}"


def ip_mask(d: Draw, o: int, h: Hint) -> str:
    return f"{ipv4(d, o, h)}/32" if d.chance(0.6) else f"{ipv4(d, o, h).rsplit('.', 1)[0]}.0/24"


def ipv6(d: Draw, o: int, h: Hint) -> str:
    return f"2a00:{d.hex(4)}:{d.hex(4)}:{d.hex(4)}::{d.hex(4).lstrip('0') or '1'}"


def hex_color(d: Draw, o: int, h: Hint) -> str:
    return f"#{d.hex(6)}"


def docker_port(d: Draw, o: int, h: Hint) -> str:
    return f"{d.pick((80, 443, 3306, 5432, 6379, 8080, 3000, 9000))}/tcp"


def volume_mount(d: Draw, o: int, h: Hint) -> str:
    return d.pick(
        ("data:/var/lib/mysql", "uploads:/var/www/html/uploads", "/home/p-x/html:/var/www")
    )


def storage_size(d: Draw, o: int, h: Hint) -> str:
    return f"{d.pick((10, 20, 50, 100, 200))}Gi"


def memory_size(d: Draw, o: int, h: Hint) -> str:
    return d.pick(("512Mi", "1Gi", "2Gi", "4Gi", "8Gi"))


def cpu_count(d: Draw, o: int, h: Hint) -> str:
    return d.pick(("0.5", "1", "2", "4"))


def cluster_domain(d: Draw, o: int, h: Hint) -> str:
    return "project.host"


def statistics_domain(d: Draw, o: int, h: Hint) -> str:
    return f"pe-prod.{_at(pools.CLUSTERS, o, 0x8F)}.mcloud.services"


def wildcard_domain(d: Draw, o: int, h: Hint) -> str:
    return f"*.{org_domain(o)}" if d.chance(0.3) else org_domain(o)


def txt_entry(d: Draw, o: int, h: Hint) -> str:
    return d.pick(
        (
            "v=spf1 include:spf.mittwald.de ~all",
            f"google-site-verification={d.alnum(24)}",
            "v=DMARC1; p=quarantine",
            f"MS=ms{d.digits(8)}",
        )
    )


def env_value(d: Draw, o: int, h: Hint) -> str:
    return d.pick(("production", "Europe/Berlin", "256M", "my_db", "redis", "1"))


def slug_word(d: Draw, o: int, h: Hint) -> str:
    return f"{d.pick(pools.words())}-{d.pick(pools.words())}"


def label(d: Draw, o: int, h: Hint) -> str:
    return d.pick(pools.words()).capitalize() + " " + d.pick(pools.words())


def word(d: Draw, o: int, h: Hint) -> str:
    return d.pick(pools.words())


def env_key(d: Draw, o: int, h: Hint) -> str:
    return d.pick(pools.ENV_KEYS)


def title_prefix(d: Draw, o: int, h: Hint) -> str:
    return d.pick(("Dr.", "Prof.", "Prof. Dr.", "Dipl.-Ing."))


def uuid(d: Draw, o: int, h: Hint) -> str:
    return uuid_from_bits((d.bits() << 64) | d.bits())


def shaped_example(d: Draw, o: int, h: Hint) -> str:
    """A value shaped like the schema's example: digits and `XXX` runs varied, letters kept."""
    return shape_like(str(h.example), d)


def shape_like(example: str, d: Draw) -> str:
    """`RG1234567` -> `RG8302915`, `mysql-XXXXXX` -> `mysql-k2f9xq`, a UUID -> another UUID."""
    if UUID.fullmatch(example):
        return uuid(d, 0, Hint(""))
    out = re.sub(r"X{2,}|Y{2,}", lambda m: d.alnum(len(m[0])), example)
    return re.sub(r"[0-9]", lambda m: str(d.below(10) if m.start() else d.between(1, 9)), out)


def code_like(example: Any) -> bool:
    """An example that is an identifier-like token (worth copying the shape of), not prose."""
    return (
        isinstance(example, str)
        and 1 < len(example) <= 48
        and re.fullmatch(r"[\w.:/@+#*-]+", example) is not None
        and re.search(r"[0-9]|XX", example) is not None
    )


def b64(d: Draw, o: int, h: Hint) -> str:
    settings = f'{{"theme":"{d.pick(("dark", "light"))}","v":{d.below(9)}}}'
    return base64.b64encode(settings.encode()).decode()


def spam_entry(d: Draw, o: int, h: Hint) -> str:
    """A sender a spam filter lists: a whole domain (`*@domain`) or one address."""
    return f"*@{org_domain(o)}" if d.chance(0.4) else email(d, o, h)


def care_of(d: Draw, o: int, h: Hint) -> str:
    return f"c/o {first_name(o)} {last_name(o)}"


def short_id_note(d: Draw, o: int, h: Hint) -> str:
    return f'Short-ID: "p-{d.alnum(6)}"'


def json_text(d: Draw, o: int, h: Hint) -> str:
    return d.pick(('{"type":"string","minLength":3}', '{"type":"string","format":"email"}'))


def response_body(d: Draw, o: int, h: Hint) -> str:
    return d.pick(('{"status":"ok"}', '{"received":true}', ""))


def last4(d: Draw, o: int, h: Hint) -> str:
    return d.digits(4)


def id_like(d: Draw, o: int, h: Hint) -> str:
    return shaped_example(d, o, h) if code_like(h.example) else uuid(d, o, h)


@dataclass(frozen=True)
class Rule:
    """One row: fields named like `field` inside objects named like `within` get `make`."""

    field: str
    make: Maker
    within: str = ""
    shape: str = "text"
    note: str = ""

    def matches(self, hint: Hint) -> bool:
        """Whether this row serves the field `hint` describes."""
        return (
            _full(self.field, hint.name)
            and (not self.within or _search(self.within, hint.parent))
            and fits(self.shape, hint.fmt)
        )


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def _full(pattern: str, text: str) -> bool:
    return _compiled(pattern).fullmatch(text) is not None


def _search(pattern: str, text: str) -> bool:
    return _compiled(pattern).search(text) is not None


C = choice
# The strings table: first match wins. `within` is searched in the enclosing object's name.
STRING_RULES: tuple[Rule, ...] = (
    # Ids and short ids
    Rule("shortId", short_id("p-"), r"^Project", note="projects: p-xxxxxx"),
    Rule("shortId", short_id("s-"), r"^Server", note="servers: s-xxxxxx"),
    Rule("shortId", short_id("a-"), r"AppInstallation", note="app installations: a-xxxxxx"),
    Rule("shortId", short_id("cron-"), r"Cronjob", note="cronjobs: cron-xxxxxx"),
    Rule("shortId", short_id("c-"), r"Service|Container", note="containers: c-xxxxxx"),
    Rule("shortId", short_id("file-"), r"File", note="files: file-xxxxxx"),
    Rule("shortId", short_id("ticket-"), r"Conversation", note="conversations"),
    Rule("shortId|.*ShortId", shaped_short_id, note="other short ids: the example's prefix"),
    Rule("serverShortId", short_id("s-")),
    Rule("serviceShortId", short_id("c-")),
    Rule("pAccount|sourceAccount", lambda d, o, h: f"p{d.digits(6)}", note="legacy accounts"),
    Rule("customerNumber|contributorNumber", lambda d, o, h: d.digits(6)),
    Rule("cluster(Id|ID|Name)?", lambda d, o, h: _at(pools.CLUSTERS, o, 0x8F), note="clusters"),
    # People, companies, addresses
    Rule("first_?[nN]ame", given_name, note="a person's given name (Faker, de/en)"),
    Rule("last_?[nN]ame", family_name, note="family name, agrees with the e-mail"),
    Rule("accountHolder|clearName|fullName|exporter", full_name),
    Rule("name|displayName", full_name, r"^(Person|Contact|Recipient|.*Exporter|User|.*Member.*)$"),
    Rule("title", title_prefix, r"^(Person|Contact|Profile|Recipient)$"),
    Rule("company|companyName|organisation|organization", company_name, note="Faker company"),
    Rule("name|deviatingName", company_name, r"Customer|Contributor|Company|Hoster|Owner"),
    Rule("street", street, note="street name"),
    Rule("houseNumber", house_number),
    Rule("zip|postCode|postcode|postalCode", zip_code, note="German postcode"),
    Rule("city", city),
    Rule("country|countryCode", C(("DE", "DE", "DE", "AT", "CH")), note="country code"),
    Rule("state|county", C(("NRW", "Niedersachsen", "Bayern", "Hessen")), r"Contact|City|Address"),
    Rule("phone|phoneNumber|phoneNumbers", phone, note="+49 numbers"),
    Rule("iban", iban, note="German IBAN with valid check digits"),
    Rule("bic", C(pools.BICS)),
    Rule("vatId", vat_id),
    Rule("addressPrefix", care_of, note="c/o First Last"),
    Rule("county", C(pools.COUNTIES)),
    Rule("leitwegId", lambda d, o, h: f"{d.digits(3)}-{d.digits(5)}-{d.digits(2)}"),
    Rule("department", C(pools.TEXT_WORDS)),
    # E-mail, domains, hosts, URLs
    Rule("blacklist|whitelist|blacklistEntries|whitelistEntries", spam_entry, note="*@domain"),
    Rule("aggregate|domain", C(pools.AGGREGATES), r"(?i)Aggregate|parents|LogEntry"),
    Rule(
        ".*([eE]mail|[mM]ailAddress).*|address|originalAddress|forwardAddresses|"
        "targetDeliveryAddress|additionalEmailRecipients|comment",
        email,
        shape="email",
        note="first.last@company-domain (agrees with the names beside it)",
    ),
    Rule("hostname", mysql_host, r"MySql", shape="host", note="mysql-xxxxxx.pg-yyyyyy.db…"),
    Rule("hostname", redis_host, r"Redis", shape="host", note="redis-xxxxxx.pg-yyyyyy.db…"),
    Rule("externalHostname", external_host, shape="host"),
    Rule("clusterDomain", cluster_domain, shape="host"),
    Rule("statisticsBaseDomain", statistics_domain, shape="host"),
    Rule("nameservers|nameServer", C(pools.NAMESERVERS), shape="host"),
    Rule(".*[Dd]omain|domainName|tld|commonName|fqdn", domain, shape="domain"),
    Rule("subject|dnsNames|cnameTarget", wildcard_domain, r"Certificate|Warning|CertSpec"),
    Rule("domains|addedValues|removedValues|values", domain, r"Suggested|Replace", shape="domain"),
    Rule("target", hostname, r"Subdomain", shape="host"),
    Rule(
        ".*[Hh]ostname|host|fqdn|mailServer|server", hostname, shape="host", note="*.project.space"
    ),
    Rule("uri|registryUri", C(pools.REGISTRIES), r"Registry|^$", note="container registries"),
    Rule("webhookUrl|.*WebhookUrl|url", webhook_url, r"[Ww]ebhook", shape="uri"),
    Rule("iconUrl|imageUrl|avatarUrl|logoUrl", image_url, shape="uri"),
    Rule(
        ".*(Url|URL|Uri|url|uri|[lL]ink)|urlTemplate|homepage|website|origin|routeCalled|"
        "repository|screenshot",
        url,
        shape="uri",
        note="https://… on the object's domain",
    ),
    Rule("ip|ipAddress|a|v4|aRecords", ipv4, shape="ipv4"),
    Rule("aaaaRecords", ipv6),
    Rule("accessIpMask", ip_mask, note="CIDR"),
    # Databases
    Rule("name", mysql_name, r"MySqlDatabase", note="mysql_xxxxxx"),
    Rule("name", mysql_user, r"MySqlUser", note="dbu_xxxxxx (MySQL users)"),
    Rule("name", redis_name, r"RedisDatabase"),
    Rule("version", C(pools.MYSQL_VERSIONS), r"MySql", note="8.0 / 8.4 / 5.7"),
    Rule("version", C(pools.REDIS_VERSIONS), r"Redis"),
    Rule("name|characterSet", C(pools.CHARSETS), r"[Cc]haracter"),
    Rule("collation|collations", C(pools.COLLATIONS)),
    Rule("finalizers", C(pools.FINALIZERS)),
    Rule("maxMemory", C(("64Mi", "128Mi", "256Mi", "512Mi"))),
    Rule("maxMemoryPolicy", C(pools.REDIS_POLICIES)),
    Rule("additionalFlags", C(("--appendonly yes", "--maxmemory-samples 5", "--save 60 1000"))),
    Rule("databases", mysql_name),
    Rule("number", C(pools.MYSQL_VERSIONS), r"MySql"),
    Rule("number", C(pools.REDIS_VERSIONS), r"Redis"),
    Rule("query", C(pools.SQL_QUERIES)),
    Rule("databaseBackupDump", lambda d, o, h: f"dbdump-mysql-{d.digits(6)}"),
    # Apps, software, versions
    Rule("appName|name", C(pools.APPS), r"^App(Installation)?$|^App$", note="WordPress, TYPO3, …"),
    Rule("name", C(pools.SYSTEM_SOFTWARE), r"SystemSoftware"),
    Rule("name", C(pools.USER_INPUTS), r"UserInput|userInputs"),
    Rule("installationPath|docRoot", install_path, note="/html/<app>"),
    Rule("customDocumentRoot", C(("/public", "/web", "/htdocs", "/pub"))),
    Rule(
        "appExternalVersion|externalVersion|internalVersion|softwareVersion|systemSoftwareVersion|"
        "current|desired|previous",
        app_version,
        note="versions like 6.4.3",
    ),
    Rule("version|versionRange|manifestVersion", version, note="x.y.z"),
    # Cronjobs and commands
    Rule("interval|cron|schedule", C(pools.CRON_LINES), note="cron expressions"),
    Rule("interpreter", C(pools.INTERPRETERS)),
    Rule("interpreterTemplate", C(("php", "bash", "node"))),
    Rule("path|pathTemplate", cron_path, r"Cronjob"),
    Rule("command", C(pools.COMMANDS), r"Target|Cronjob"),
    Rule("parameters|parametersTemplate", C(("--quiet", "-c", "--env=prod", "cache:clear"))),
    Rule("logPath", log_path),
    Rule("timeZone|timezone", C(pools.TIMEZONES)),
    # Containers
    Rule("image|imageTemplate", C(pools.IMAGES), note="docker images (mysql:8.0, nginx:…)"),
    Rule("imageDigest|digest", digest, note="sha256:…"),
    Rule("command", C(("mysqld", "nginx", "-g", "daemon off;", "redis-server")), r"Service|Image"),
    Rule("entrypoint", C(("docker-entrypoint.sh", "/entrypoint.sh"))),
    Rule("ports|port", docker_port, note="3306/tcp"),
    Rule("portProtocol", docker_port),
    Rule("volumes", volume_mount),
    Rule("volume", C(("/var/lib/mysql", "/data", "/var/www/html"))),
    Rule("templateId", C(pools.TEMPLATES)),
    Rule("restartPolicy", C(pools.RESTART_POLICIES)),
    Rule("serviceIdentifier", C(pools.STACK_SERVICES)),
    Rule("namespace", C(("default", "app", "mittwald"))),
    Rule("serviceName|name", C(pools.SERVICE_NAMES), r"Service|Stack|services"),
    Rule("name", C(pools.VOLUME_NAMES), r"Volume"),
    Rule("prefix", lambda d, o, h: f"stack-{d.alnum(6)}"),
    Rule("userName", short_id("sftp-"), r"Sftp", note="sftp-xxxxxx"),
    Rule("userName", short_id("ssh-"), r"Ssh", note="ssh-xxxxxx"),
    Rule("username|userName|providerUsername", user_name),
    Rule("projectName", project_description),
    Rule("providerName", C(("Strato", "IONOS", "All-Inkl", "Hetzner", "DomainFactory"))),
    Rule("title", C(pools.USER_INPUTS), r"meta|additionalProperties"),
    Rule("user", C(("mysql", "www-data", "root", "node"))),
    # Files and paths
    Rule("mimeType|mimeTypes|type", C(pools.MIME_TYPES), r"(?i)File|Upload|Avatar|rules|^$"),
    Rule("fileName|filename|name", C(pools.FILE_NAMES), r"File|Asset"),
    Rule("extensions", C(pools.FILE_EXTENSIONS), r"(?i)File|rules"),
    Rule("format", C(("tar", "zip")), r"Export"),
    Rule("logFileLocation", C(("/var/log/app/install.log", "/html/.mittwald/update.log"))),
    Rule("backendPathTemplate", C(("/index.php", "/public/index.php", "/web/app.php"))),
    Rule("target", file_path, r"Path|Listing"),
    Rule("friendly(URL|Url)", lambda d, o, h: f"{uuid(d, o, h)}/{d.pick(pools.FILE_NAMES)}"),
    Rule(".*Home|Home", home_path),
    Rule(".*[Pp]ath|.*[Dd]irectory|directories|.*[Pp]aths|filepath", file_path),
    # Money and contracts
    Rule("currency", C(("EUR",))),
    Rule("brand", C(pools.CARD_BRANDS)),
    Rule("last4", last4),
    Rule("invoiceNumber|correctionNumber", lambda d, o, h: f"RG{d.digits(7)}"),
    Rule("additionalDescription", short_id_note),
    Rule("invoiceFooter", lambda d, o, h: f"USt-IdNr.: DE{d.digits(9)}"),
    Rule("articleType", C(("hosting", "domain", "server", "extension"))),
    Rule("product|targetTariff", C(pools.ARTICLE_NAMES)),
    Rule("unit", C(pools.UNITS)),
    Rule("variantDescription", C(pools.VARIANT_DESCRIPTIONS)),
    Rule(
        "businessFields|categories|parentCategories",
        C(pools.BUSINESS_FIELDS),
        r"Lead|Template|categ",
    ),
    Rule("companyType", C(pools.COMPANY_TYPES)),
    Rule("targetGroup", C(pools.TARGET_GROUPS)),
    Rule("websiteType", C(pools.WEBSITE_TYPES)),
    Rule("coreProduct", C(pools.PRODUCTS)),
    Rule("developer", company_name),
    Rule("network", C(pools.SOCIAL_NETWORKS)),
    Rule("models|replacedBy|replacesModelNames|replacesModelName", C(pools.AI_MODELS)),
    Rule("hexColor", hex_color),
    Rule("machineType", C(pools.MACHINE_TYPES)),
    Rule("storage", storage_size, r"Spec|Server"),
    Rule("memory|mem", memory_size),
    Rule("cpu|cpus", cpu_count),
    Rule("variantKey|targetVariantKey", C(("default", "basic", "pro"))),
    Rule("variantName", C(pools.VARIANTS)),
    Rule("name|articleName|articleTemplateName", C(pools.ARTICLE_NAMES), r"Article|info|OrderItem"),
    Rule("name", C(pools.VARIANTS), r"Variant|Tariff|Plan"),
    Rule("name", C(pools.EXTENSION_NAMES), r"Extension"),
    # Secrets and codes
    Rule(".*[Pp]assword", password, note="16-20 mixed characters"),
    Rule("jwt", jwt),
    Rule(".*[Tt]oken|.*[Ss]ecret|access_token|refresh_token|code_verifier|barcode", token_or_code),
    Rule("multiFactorCode|code|supportCode", numeric_code, note="6 digits"),
    Rule("authCode|transferInAuthCode|authCode2", auth_code),
    Rule("publicKey", ssh_public_key, note="ssh-ed25519 AAAA…"),
    Rule("algorithm", C(("ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256"))),
    Rule("fingerprint", fingerprint),
    Rule("sha256Checksum|contactHash", sha256),
    Rule("certificate|caBundle", pem("CERTIFICATE")),
    Rule("signingRequest", pem("CERTIFICATE REQUEST")),
    Rule("privateKey", pem("PRIVATE KEY")),
    Rule(".*Base64|settingsString", b64),
    Rule("accessTokenRetrievalKey|extensionInstanceSecret|secret", token),
    Rule("issuer", C(pools.ISSUERS)),
    Rule("txtRecord|entries|txt", txt_entry),
    Rule("content", C(pools.VCL_SNIPPETS), r"ConfigFile"),
    # Devices and sessions
    Rule("browser", C(pools.BROWSERS)),
    Rule("os", C(pools.SYSTEMS)),
    Rule("model", C(pools.DEVICES)),
    Rule("language|languages|locale", C(("de", "en"))),
    # Text: descriptions, titles, messages
    Rule("description", C(pools.DATABASE_DESCRIPTIONS), r"MySql|Redis|Database"),
    Rule("description|projectDescription", project_description, r"^Project"),
    Rule("projectDescription", project_description),
    Rule("description", C(pools.APP_DESCRIPTIONS), r"AppInstallation"),
    Rule("description", C(pools.CRON_DESCRIPTIONS), r"Cronjob"),
    Rule("description", C(pools.BACKUP_DESCRIPTIONS), r"Backup"),
    Rule("description", C(pools.TOKEN_DESCRIPTIONS), r"ApiToken|Key"),
    Rule("description|subTitle|tagline|de|en", C(pools.GENERIC_DESCRIPTIONS), note="plain phrases"),
    Rule("title|subject", C(pools.CONVERSATION_TITLES), note="support-ticket subjects"),
    Rule("messageContent", C(pools.STATUS_UPDATES), r"StatusUpdate"),
    Rule("message|messageContent|notes|note|text|plain|markdown", C(pools.MESSAGES)),
    Rule(".*[Ee]rror.*|inoperableReason|withdrawalReason", C(pools.ERRORS)),
    Rule("reason|explanation", C(pools.REASONS)),
    Rule("suggestion", C(pools.SUGGESTIONS)),
    Rule("schema|validationSchema", json_text),
    Rule("responseBody", response_body),
    Rule("responseHeaders", C(("content-type: application/json", "x-request-id: 4f2a"))),
    Rule("statusCode", C(("200", "200", "201", "500"))),
    Rule("lastChangeBy|domainOwnerData", full_name),
    Rule("organizationalUnit", C(pools.TEXT_WORDS)),
    Rule("service", C(("web", "mail"))),
    Rule("purpose", C(("primary", "redirect", "mail"))),
    Rule("bg", hex_color),
    Rule("tags|tag", C(pools.TAGS)),
    Rule("scopes|scope|allowedScopes|consentedScopes", C(pools.SCOPES)),
    Rule("roles|role|executingUserRoles|notificationRoles", C(pools.ROLES)),
    Rule("ttl", C(("7d", "14d", "30d")), r"Backup"),
    # Environment variables (keys of `environment`/`envs`)
    Rule("environment|envs|MYSQL_.*|[A-Z_]+", env_value),
    Rule("key", env_key, r"Env|env"),
    Rule("value", env_value, r"Env"),
    Rule("value", lambda d, o, h: str(d.pick((1, 2, 4, 8, 10, 50))), r"Attribute|Addon"),
    Rule("value", full_name, r"HandleField"),
    Rule("value", auth_code, r"AuthCode"),
    Rule("value", C(("letsencrypt.org", "sectigo.com")), r"CAA", shape="domain"),
    Rule("dataSource", C(("database", "static", "project"))),
    Rule("value|defaultValue", C(pools.USER_INPUT_VALUES), r"UserInput|userInputs"),
    Rule("reference|references", uuid),
    Rule("section|step", C(("general", "admin", "database", "advanced"))),
    # Names of things, by what they name
    Rule("customerName|deviatingName|contributorName", company_name),
    Rule("name", C(pools.CONVERSATION_CATEGORIES), r"^Category$"),
    Rule("name", C(pools.TECHNOLOGY_CATEGORIES), r"^categories$"),
    Rule("name", C(pools.TECHNOLOGIES), r"Technology"),
    Rule("name|displayName", C(pools.AI_MODELS), r"Model|topUsages"),
    Rule("name", C(pools.KEY_NAMES), r"^Key$"),
    Rule("name", C(pools.DNS_NAMES), r"DNSRecord"),
    Rule("name", C(pools.MAILBOX_NAMES), r"(?i)mailbox|Deliverybox"),
    Rule("name", domain, r"^Domain$", shape="domain"),
    Rule("name", C(pools.HANDLE_FIELDS), r"(?i)HandleField"),
    Rule("value", full_name, r"(?i)handleField|NameData"),
    Rule("value", email, r"EmailData", shape="email"),
    Rule("value", street, r"AddressData"),
    Rule("value", ipv4, r"DNSRecord", shape="ipv4"),
    Rule("extensionName|name", C(pools.EXTENSION_NAMES), r"Extension|ExternalComponent"),
    Rule("name", C(pools.ACTIONS), r"Action|ParameterProperty"),
    Rule("name", C(pools.MACHINE_TYPES), r"(?i)machineType"),
    Rule("name", lambda d, o, h: f"daily-{d.digits(8)}", r"Backup"),
    Rule("name", C(("pageSpeed", "seo", "performance", "uptime")), r"(?i)metric"),
    Rule("name", C(("MySQL 8.0", "MySQL 8.4", "MySQL 5.7")), r"MySqlVersion"),
    Rule("name", C(("Redis 7.2", "Redis 7.0", "Redis 6.2")), r"RedisVersion"),
    Rule("name|filename", C(pools.PATH_NAMES), r"Path|fileOps"),
    Rule("name", C(("php", "node")), r"RequestHandler"),
    Rule("name", C(pools.STATISTICS), r"Statistics"),
    Rule("name", C(pools.LICENSES), r"^license$"),
    Rule("name", C(pools.PORT_NAMES), r"^ports$"),
    Rule("name", C(pools.ARTICLE_NAMES), r"^(positions|prices)$"),
    Rule("name", C(pools.VARIANTS), r"^pricing$"),
    Rule("name", company_name, r"^provider$"),
    Rule("cname|name", hostname, r"^(after|before)$", shape="host"),
    Rule("key", ssh_public_key, r"SshKey"),
    Rule(
        "key|externalKey",
        lambda d, o, h: "-".join(d.alnum(4).upper() for _ in range(4)),
        r"Key|License|^$",
    ),
    Rule("key|balanceAddonKey", C(pools.ADDON_KEYS), r"Addon|Attribute|Article"),
    Rule("key", C(("basic", "pro", "business")), r"Variant|pricing"),
    Rule("type", C(("feature", "resource")), r"Addon"),
    Rule("type", C(("desktop", "mobile")), r"Device"),
    Rule("application", C(("mStudio", "WordPress", "Shopware"))),
    Rule("userInput", domain, r"domains", shape="domain"),
    # General shapes by name, last
    Rule(".*Id|id|.*ID|.*Ids|.*Ref|.*RefId|refId|serial", id_like, shape="uuid", note="UUID"),
    Rule(".*[Nn]ame|name", label, note="two capitalised words"),
    Rule("type|kind|category|status|state", C(pools.KINDS), note="neutral kinds"),
    Rule("key|.*Key|group.*", slug_word),
)


def string_maker(hint: Hint) -> tuple[Maker, str]:
    """The maker for a string field, and what chose it (a row's field pattern, or a fallback)."""
    for rule in STRING_RULES:
        if rule.matches(hint):
            return rule.make, rule.field
    if code_like(hint.example):
        return shaped_example, "example"
    return word_phrase, "words"


# How the keys of a map (additionalProperties) are named, by the map's name: a maker, or the
# name of a reference list whose ids serve as keys (memberships keyed by project id).
MAP_KEYS: tuple[tuple[str, Maker | str], ...] = (
    ("environment|envs", env_key),
    ("projectMemberships", "projectId"),
    ("customerMemberships", "customerId"),
    ("lockedBy|databases|systemSoftware|categoryUserPairs", uuid),
    ("databaseUserIds", choice(("admin", "readonly", "default"))),
    ("frontendFragments", choice(pools.FRONTEND_FRAGMENTS)),
    ("parameters", choice(pools.PARAMETER_NAMES)),
    ("changes", choice(pools.ACTIVITY_FIELDS)),
    ("services", choice(pools.STACK_SERVICES)),
    ("volumes", choice(pools.VOLUME_NAMES)),
    ("additionalMetrics", choice(("pageSpeed", "seo", "accessibility", "uptime"))),
    ("context", choice(("format", "limit", "pattern", "field"))),
    ("settings", choice(("ttl", "grace", "backend"))),
)


def map_keys(name: str) -> Maker | str:
    """The key maker (or reference list name) for a map held in the property `name`."""
    for pattern, keys in MAP_KEYS:
        if _full(pattern, name):
            return keys
    return choice(pools.MAP_WORDS)


def word_phrase(d: Draw, o: int, h: Hint) -> str:
    """A plain English word: what is left for a field no row knows (never a placeholder)."""
    return d.pick(pools.words())


# --- formats ---------------------------------------------------------------------------------


FORMAT_MAKERS: dict[str, Maker] = {
    "uuid": uuid,
    "email": email,
    "idn-email": email,
    "uri": url,
    "url": url,
    "hostname": hostname,
    "idn-hostname": hostname,
    "idn-dnsname": hostname,
    "naked-domain": domain,
    "ipv4": ipv4,
    "ipv6": ipv6,
    "byte": b64,
    "base64": b64,
    "binary": b64,
    "hexdump": fingerprint,
    "docker-network-port": docker_port,
}


# --- numbers -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Span:
    """A plausible range for a number field: [lo, hi], log-spread or even, or fixed choices."""

    lo: float = 1
    hi: float = 100
    log: bool = False
    decimals: int | None = None
    choices: tuple[float, ...] = ()


@dataclass(frozen=True)
class NumberRule:
    """One row of the numbers table."""

    field: str
    span: Span
    within: str = ""
    note: str = ""


_KB, _MB, _GB = 1024, 1024**2, 1024**3
N = NumberRule
NUMBER_RULES: tuple[NumberRule, ...] = (
    N(".*[Pp]ercent.*", Span(0, 100, decimals=1), note="percentages 0-100"),
    N(".*[Mm]emory.*", Span(64 * _MB, 8 * _GB, log=True), note="memory: MB to a few GB"),
    N("size|sizeInBytes", Span(2 * _KB, 40 * _MB, log=True), r"File|Path|Listing"),
    N("quotaInBytes|quota", Span(choices=(_GB, 2 * _GB, 5 * _GB, 10 * _GB))),
    N(".*(InBytes|Bytes)|size|quota", Span(50 * _MB, 60 * _GB, log=True), note="storage in bytes"),
    N(".*InGiB|diskspace.*", Span(choices=(10, 20, 50, 100, 200)), note="GiB"),
    N(".*(InKB|InKb)", Span(choices=(500, 1000, 2000, 4096))),
    N("maxSizeInBytes", Span(choices=(_MB, 2 * _MB, 5 * _MB, 10 * _MB))),
    N("durationInMilliseconds", Span(200, 600_000, log=True)),
    N("kernelMs|userspaceMs", Span(0.1, 50, decimals=4)),
    N("amount", Span(1, 5)),
    N("failedExecutionAlertThreshold", Span(1, 5)),
    N("expires_in", Span(choices=(3600, 7200))),
    N("tokenFactor", Span(0.5, 2, decimals=2)),
    N("performanceScore", Span(40, 100)),
    N("contentLoaded", Span(300, 4000, log=True)),
    N("lastExpirationThresholdHit", Span(choices=(7, 14, 30))),
    N("categoryPriority", Span(1, 100)),
    N("domainContractDuration", Span(choices=(12, 24))),
    N("responseCode", Span(choices=(200, 200, 201, 204, 500))),
    N("maxNameLength", Span(choices=(80, 128, 255))),
    N("uptimeSeconds", Span(3600, 5_000_000, log=True)),
    N(".*(Ms|Milliseconds)|ttfb.*|.*Paint|totalBlockingTime", Span(5, 4000, log=True)),
    N("cumulativeLayoutShift", Span(0, 0.3, decimals=3)),
    N("port", Span(choices=(80, 443, 3306, 5432, 6379, 8080, 3000, 9000)), note="common ports"),
    N("ttl|seconds", Span(choices=(300, 3600, 14400, 86400)), note="DNS TTLs"),
    N("timeout", Span(choices=(60, 300, 600, 3600))),
    N(".*[Ee]xitCode", Span(choices=(0, 0, 0, 0, 1, 255))),
    N("priority|weight", Span(choices=(0, 10, 20, 50))),
    N("vatRate", Span(choices=(19, 7))),
    N("foundingYear|.*Year", Span(1950, 2023)),
    N("employeeCount", Span(2, 500, log=True)),
    N("salesVolume", Span(50_000, 20_000_000, log=True)),
    N("width", Span(choices=(320, 768, 1024, 1280, 1440, 1920))),
    N("height", Span(choices=(240, 600, 768, 800, 900, 1080))),
    N("quality", Span(60, 100)),
    N("delay", Span(0, 3000)),
    N("vote", Span(1, 10)),
    N(
        "score|performance|accessibility|seo|bestPractice|potential",
        Span(0.4, 1, decimals=2),
        note="scores 0.4-1",
    ),
    N("majorVersion", Span(choices=(11, 12, 13))),
    N(
        ".*(InMonth|Month|Period)|invoicingPeriod|contractPeriod",
        Span(choices=(1, 1, 12, 24)),
        note="months",
    ),
    N(".*[Dd]ays", Span(choices=(7, 14, 30, 90))),
    N("targetDay", Span(1, 28)),
    N("visitors", Span(1000, 100_000, log=True)),
    N(".*[Tt]okens|tokenUsed", Span(100_000, 50_000_000, log=True)),
    N("requestsPerMinute|rateLimit|allowedRequestsPerUnit", Span(60, 1000, log=True)),
    N(".*[Rr]evision|maxVersions|revision", Span(1, 40)),
    N("index", Span(0, 9)),
    N("userId|overwritingUser", Span(choices=(1000, 1000, 33, 0))),
    N("flags", Span(choices=(0, 128))),
    N("redirectusKey", Span(10_000, 99_999)),
    N("co2", Span(0.1, 2.5, decimals=2)),
    N("vcpu", Span(choices=(1, 2, 4, 8))),
    N("ram", Span(choices=(2, 4, 8, 16))),
    N(".*[Ss]ensitivity|.*SpamScore", Span(1, 10)),
    N("slowdownFactor", Span(1, 3, decimals=1)),
    N(
        ".*[Pp]rice.*|.*Cents|total(Gross|Net)?|amountPaid|recurring|nonRecurring|summary|value",
        Span(99, 49_900, log=True),
        note="prices in cents",
    ),
    N(
        ".*([Cc]ount|[Ll]imit|occurrences|[Ii]nstances|installations.*|attempts|used|available|"
        "success|warning|error|info|points|points|skip)",
        Span(1, 60, log=True),
        note="small positive counts",
    ),
)


def number_span(name: str, parent: str, example: Any) -> tuple[Span, str]:
    """The plausible span of a number field by its name (or its example's magnitude)."""
    for rule in NUMBER_RULES:
        if _full(rule.field, name) and (not rule.within or _search(rule.within, parent)):
            return rule.span, rule.field
    if isinstance(example, int | float) and not isinstance(example, bool) and example > 0:
        return Span(max(example / 3, 1 if isinstance(example, int) else 0), example * 3), "example"
    return Span(1, 100, log=True), "small"


# --- booleans and dates ------------------------------------------------------------------------

MOSTLY_TRUE = re.compile(
    r"(is|has)?(Ready|ready|[Ee]nabled|[Aa]ctive|[Vv]alid|[Vv]erified|[Ff]unctional|"
    r"[Ss]uccessful|[Cc]onfirmed|[Cc]onnected|[Rr]egistered|[Ii]nitialized|[Pp]ublished|"
    r"[Rr]ecommended|[Aa]llowed.*|Activated|Default|File|Password|Inclusive|Recurring).*|"
    r"usesDefaultNameserver|registrable|exists|inherited|mfaConfirmed|setup|acme|isCreated|"
    r"sendingEnabled|autoDeleteSpam|shouldShow|read"
)
MOSTLY_FALSE = re.compile(
    r".*([Dd]elet|[Dd]isabled|[Bb]anned|[Bb]locked|[Ee]xpired|[Ll]ocked|[Ff]ailure|[Hh]alted|"
    r"[Pp]ending|DefaultOfPayment|Invalid|[Oo]rphaned|[Aa]borted|Cancel|Forced|[Hh]idden|"
    r"[Rr]eadonly|Symlink|Shared|Employee|Impersonated|Exceeding|updateAvailable|InProgress|"
    r"Forbidden|[Ii]nternal|Directory|SystemBackup|Archived|[Dd]eprecat|[Ss]topped|Required|"
    r"Premium|Banned|NotAllowed|NotAuthorized|noDomains|dryRun|isCatchAll|Migrat|clear|"
    r"instant|irtp|isAiGenerated|isSensitive|isUserRoot|withPassword|useFreeTrial).*"
)

# Dates: a field in the future, a creation (the object's origin), a start, or later than those.
FUTURE = re.compile(
    r".*([Ee]xpir|[Vv]alidTo|[Vv]alidUntil|[Uu]ntil|[Dd]eadline|^next|Next|[Ss]cheduled|"
    r"dueDate|resubmitAt|effectiveDate|targetDate|TargetDate|preferredRelocationDate|removalAt|"
    r"EndDate|invoiceStop|nextUnlock|expires).*|expiry|expiration.*"
)
ORIGIN = re.compile(
    r"createdAt|created|creationDate|createdOn|registeredAt|memberSince|orderDate|"
    r"activationDate|requestedAt|approvedOn"
)
START = re.compile(r"start|executionStart|startsAt|validFrom|feeValidFrom|date|invoiceDate")


def date_kind(name: str) -> str:
    """`future`, `origin` (created), `start`, or `later` (updated, ended, set at, last …)."""
    if FUTURE.fullmatch(name):
        return "future"
    if ORIGIN.fullmatch(name):
        return "origin"
    if START.fullmatch(name):
        return "start"
    return "later"


def bool_bias(name: str) -> float:
    """The chance a boolean field is true: high for `isReady`, low for `deleted`."""
    if MOSTLY_FALSE.fullmatch(name):
        return 0.12
    if MOSTLY_TRUE.fullmatch(name):
        return 0.88
    return 0.5


def rules_for_docs() -> list[tuple[str, str, str]]:
    """The string and number rows that carry a note: (field pattern, within, note)."""
    rows = [(r.field, r.within, r.note) for r in STRING_RULES if r.note]
    rows += [(r.field, r.within, r.note) for r in NUMBER_RULES if r.note]
    return rows
