"""Word pools for realistic values: people, companies and places (drawn once from a seeded
Faker by scripts/draw_pools.py and shipped as pools.json, so serving needs no Faker and
answers never change with its version), and short curated lists of what mittwald's own data
holds (apps, images, cron lines, clusters). Values pick from pools by their place's hash;
nothing here keeps generated values.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from importlib import resources

import orjson

_TRANSLIT = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"}
)
_LEGAL_FORMS = re.compile(
    r"\b(GmbH|AG|KGaA|KG|OHG|GbR|mbH|e\.?\s?V\.?|UG|Co\.?|Ltd\.?|Inc\.?|LLC|PLC|Group|and Sons|"
    r"Stiftung|& ?|und|,)",
    re.IGNORECASE,
)


@cache
def _pools() -> dict[str, tuple[str, ...]]:
    """The drawn pools (scripts/draw_pools.py drew them from a seeded Faker)."""
    raw = orjson.loads((resources.files("mockapi.spec") / "pools.json").read_bytes())
    return {name: tuple(values) for name, values in raw.items()}


def first_names() -> tuple[str, ...]:
    """Given names, mostly German (mittwald's customers), some English."""
    return _pools()["first_names"]


def last_names() -> tuple[str, ...]:
    """Family names, mostly German, some English."""
    return _pools()["last_names"]


def companies() -> tuple[str, ...]:
    """Company names ("Zahn GmbH", "Eberth Haering AG & Co. KG")."""
    return _pools()["companies"]


def cities() -> tuple[str, ...]:
    """German towns and cities."""
    return _pools()["cities"]


def streets() -> tuple[str, ...]:
    """German street names."""
    return _pools()["streets"]


def words() -> tuple[str, ...]:
    """Plain English words (for slugs and tags), none that reads as a placeholder."""
    return _pools()["words"]


def load_all() -> None:
    """Read the pools now (a few milliseconds), e.g. off the request path."""
    _pools()


def slug(text: str) -> str:
    """A lowercase DNS-safe slug of a name: umlauts transliterated, legal forms dropped."""
    text = _LEGAL_FORMS.sub(" ", text.translate(_TRANSLIT))
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return text[:40].strip("-") or "web"


def ascii_name(text: str) -> str:
    """A name as it may appear in an e-mail's local part (lowercase ASCII, dots kept)."""
    plain = unicodedata.normalize("NFKD", text.translate(_TRANSLIT)).encode("ascii", "ignore")
    return re.sub(r"[^a-z0-9.]+", "", plain.decode().lower()) or "kontakt"


APPS = (
    "WordPress",
    "Shopware",
    "TYPO3",
    "Nextcloud",
    "Joomla!",
    "Drupal",
    "Matomo",
    "Contao",
    "Magento",
    "Grav",
    "Static HTML",
    "PHP",
    "Node.js",
    "Python",
)
APP_DIRS = ("wordpress", "shop", "typo3", "nextcloud", "blog", "website", "mainApp", "staging")
CLUSTERS = ("espelkamp", "minden", "luebbecke", "rahden", "bielefeld")
TLDS = ("de", "de", "de", "de", "com", "net", "shop", "eu", "org", "online")
MAIL_PROVIDERS = ("gmail.com", "web.de", "gmx.de", "posteo.de", "t-online.de", "outlook.com")
PROJECT_KINDS = ("Shop", "Website", "Blog", "Intranet", "Staging", "Landing page", "Portal")
IMAGES = (
    "mysql:8.0",
    "mariadb:11.4",
    "postgres:16-alpine",
    "redis:7.2",
    "nginx:1.27-alpine",
    "httpd:2.4",
    "wordpress:6.6-apache",
    "node:20-alpine",
    "python:3.12-slim",
    "louislam/uptime-kuma:1",
    "grafana/grafana:11.1.0",
    "mailhog/mailhog:v1.0.1",
    "n8nio/n8n:1.52.1",
)
TEMPLATES = ("mysql", "postgres", "redis", "uptime-kuma", "wordpress", "n8n", "grafana", "nginx")
SERVICE_NAMES = ("mysql-db", "web", "redis-cache", "worker", "nginx", "app", "uptime-kuma")
VOLUME_NAMES = ("mysql-volume", "data", "uploads", "redis-data", "config", "postgres-data")
CRON_LINES = (
    "*/5 * * * *",
    "*/15 * * * *",
    "0 * * * *",
    "30 2 * * *",
    "0 3 * * *",
    "15 4 * * *",
    "0 6 * * 1",
    "45 23 * * *",
    "0 0 1 * *",
    "*/10 8-18 * * 1-5",
)
INTERPRETERS = ("/usr/bin/php", "/usr/bin/bash", "/usr/bin/node", "/usr/bin/python3")
CRON_SCRIPTS = ("cron.php", "bin/console", "artisan", "scripts/cleanup.sh", "wp-cron.php")
COMMANDS = (
    "php bin/console scheduled-task:run",
    "php artisan schedule:run",
    "wp cron event run --due-now",
    "/usr/local/bin/backup.sh",
    "node dist/worker.js",
    "python3 manage.py clearsessions",
)
CRON_DESCRIPTIONS = (
    "WordPress cron",
    "Clear cache",
    "Import products",
    "Send newsletter queue",
    "Sitemap erzeugen",
    "Nightly cleanup",
    "Sync stock levels",
    "Rotate logs",
    "Shopware scheduled tasks",
    "Datenbank optimieren",
)
DATABASE_DESCRIPTIONS = (
    "WordPress database",
    "Shop database",
    "Staging DB",
    "Datenbank für TYPO3",
    "Nextcloud",
    "Matomo analytics",
    "Main database",
    "Testumgebung",
    "Newsletter tool",
    "Legacy import",
)
APP_DESCRIPTIONS = (
    "Corporate website",
    "Online shop",
    "Company blog",
    "Staging",
    "Intranet",
    "Relaunch 2025",
    "Landing page",
    "Kundenportal",
    "Documentation",
    "Webshop (Produktion)",
)
BACKUP_DESCRIPTIONS = (
    "before plugin update",
    "before PHP upgrade",
    "Nightly before deployment",
    "vor dem Update",
    "Sicherung vor Umzug",
    "pre-deployment snapshot",
    "Daily app backup",
)
TOKEN_DESCRIPTIONS = (
    "CI deployment",
    "Monitoring (read only)",
    "Terraform",
    "Backup script",
    "mw CLI on my laptop",
    "GitHub Actions",
    "Agentur-Zugang",
)
GENERIC_DESCRIPTIONS = (
    "Main website",
    "Online shop",
    "Staging environment",
    "Customer portal",
    "Internal tools",
    "Marketing landing page",
    "Produktion",
    "Testsystem",
    "Agency projects",
    "Documentation site",
    "Newsletter",
    "Relaunch 2025",
)
CONVERSATION_TITLES = (
    "Question about my invoice",
    "SSL certificate is not renewed",
    "Domain transfer to mittwald",
    "Shop is slow since yesterday",
    "Bitte um Rückruf",
    "Mails landen im Spam",
    "Upgrade to a larger tariff",
    "PHP version for TYPO3 12",
    "Cronjob fails with exit code 255",
    "DNS settings for Microsoft 365",
)
MESSAGES = (
    "Could you please check the DNS settings for our domain?",
    "Vielen Dank, das Problem ist behoben.",
    "The backup from last night is missing.",
    "We would like to upgrade our project to more storage.",
    "Please find the requested documents attached.",
    "Können Sie mir sagen, warum der Cronjob fehlschlägt?",
    "Thanks for the quick help!",
    "Our shop shows a 502 error since this morning.",
)
STATUS_UPDATES = (
    "CONVERSATION_CLOSED",
    "CONVERSATION_REOPENED",
    "CONVERSATION_ASSIGNED",
    "CATEGORY_CHANGED",
    "GROUP_CHANGED",
)
ERRORS = (
    "Connection to the database timed out",
    "wrong PHP version",
    "Disk quota exceeded",
    "Certificate could not be issued: DNS record missing",
    "Composer install failed with exit code 1",
    "The url httpsecurity is not a valid protocol",
    "Permission denied",
)
REASONS = (
    "Not needed anymore",
    "Projekt wird nicht mehr benötigt",
    "Moved to another provider",
    "Consolidated into one project",
    "Kulanz",
    "The website for my temporary project is no longer needed",
)
EXTENSION_NAMES = (
    "Ping Monitor",
    "SEO Insights",
    "Backup Assistant",
    "Uptime Alerts",
    "Image Optimizer",
    "Cookie Consent",
    "Invoice Sync",
    "Status Page",
)
ARTICLE_NAMES = (
    "proSpace lite",
    "proSpace",
    "Space-Server",
    "Speicher für Hosting aller Art",
    "Domain .de",
    "Mail Archive",
    "AI Hosting",
)
VARIANTS = ("Basic", "Pro", "Business", "Enterprise", "Starter")
SYSTEM_SOFTWARE = ("php", "composer", "node", "imagemagick", "mysql-client", "redis-cli")
USER_INPUTS = ("site_title", "admin_user", "admin_email", "admin_pass", "language", "shop_name")
TAGS = ("wordpress", "shop", "seo", "backup", "monitoring", "cms", "analytics", "security")
SCOPES = ("project:read", "project:write", "user:read", "customer:read", "domain:read", "mail:read")
ROLES = ("owner", "member", "accountant", "external", "api_read", "api_write")
FINALIZERS = ("database.mittwald.de/cleanup", "backup.mittwald.de/retain", "mittwald.de/billing")
MIME_TYPES = ("image/png", "image/jpeg", "application/pdf", "image/webp", "text/plain")
FILE_NAMES = ("screenshot.png", "invoice-2025-04.pdf", "logo.png", "me.jpeg", "error-log.txt")
FILE_EXTENSIONS = (".png", ".jpg", ".jpeg", ".pdf", ".webp")
CHARSETS = ("utf8mb4", "utf8mb4", "utf8mb3", "latin1")
COLLATIONS = ("utf8mb4_unicode_ci", "utf8mb4_general_ci", "utf8mb4_0900_ai_ci")
MYSQL_VERSIONS = ("8.0", "8.4", "8.4", "5.7")
REDIS_VERSIONS = ("7.2", "7.0", "6.2")
REDIS_POLICIES = ("allkeys-lru", "volatile-lru", "noeviction", "allkeys-lfu")
REGISTRIES = ("index.docker.io", "ghcr.io", "registry.gitlab.com", "quay.io")
NAMESERVERS = ("ns1.agenturserver.de", "ns2.agenturserver.de", "ns3.agenturserver.de")
TIMEZONES = ("Europe/Berlin", "Europe/Berlin", "Europe/Berlin", "Europe/Vienna", "Europe/Zurich")
BROWSERS = ("Firefox", "Chrome", "Safari", "Edge")
SYSTEMS = ("Mac OS", "Windows", "Linux", "iOS", "Android")
DEVICES = ("Apple Macintosh", "Lenovo ThinkPad", "iPhone", "Dell XPS", "Pixel 8")
ISSUERS = ("R11", "R10", "E6", "Let's Encrypt", "Sectigo RSA Domain Validation Secure Server CA")
MACHINE_TYPES = ("shared.xlarge", "prospace.2cpu.4gb", "prospace.4cpu.8gb", "prospace.8cpu.16gb")
BICS = ("DEUTDEDBBIE", "COBADEFFXXX", "WELADED1MIN", "GENODEM1MIN", "PBNKDEFFXXX", "SPKHDE2HXXX")
PHONE_AREAS = ("30", "40", "89", "221", "521", "5772", "571", "170", "151", "160", "176")
ENV_KEYS = ("MYSQL_DATABASE", "MYSQL_USER", "TZ", "APP_ENV", "PHP_MEMORY_LIMIT", "REDIS_HOST")
TEXT_WORDS = ("Kundenservice", "Entwicklung", "Vertrieb", "Buchhaltung", "Marketing", "Support")
AGGREGATES = ("project", "customer", "user", "app", "database", "domain", "container")
CARD_BRANDS = ("visa", "mastercard", "amex")
BUSINESS_FIELDS = (
    "Handwerk",
    "Gastronomie",
    "Einzelhandel",
    "IT-Dienstleistungen",
    "Gesundheit",
    "Immobilien",
    "Tourismus",
    "Steuerberatung",
)
COMPANY_TYPES = ("GmbH", "Einzelunternehmen", "UG (haftungsbeschränkt)", "AG", "GbR")
TARGET_GROUPS = ("B2B", "B2C", "Privatkunden", "Geschäftskunden")
WEBSITE_TYPES = ("Unternehmenswebsite", "Onlineshop", "Blog", "Landingpage", "Portfolio")
PRODUCTS = ("Beratung", "Reparatur", "Catering", "Software", "Möbel", "Fahrräder", "Reisen")
COUNTIES = ("Minden-Lübbecke", "Region Hannover", "Kreis Herford", "Landkreis München")
SOCIAL_NETWORKS = ("facebook", "instagram", "linkedin", "xing", "youtube")
AI_MODELS = ("gpt-oss-120b", "Mistral-Small-3.2-24B", "Qwen3-Coder-30B", "Llama-3.3-70B")
SQL_QUERIES = (
    "SELECT * FROM wp_options WHERE autoload = 'yes';",
    "SELECT COUNT(*) FROM s_order;",
    "UPDATE sessions SET expires = NOW();",
)
RESTART_POLICIES = ("always", "unless-stopped", "on-failure", "no")
UNITS = ("GB", "GHz", "ms", "%", "Stück")
SUGGESTIONS = ("a mittwald t-shirt", "dark mode for mStudio", "more PHP versions", "SSH for all")
VARIANT_DESCRIPTIONS = ("For small projects", "Everything you need to grow", "For agencies")
FRONTEND_FRAGMENTS = ("projectDashboard", "customerSettings", "appInstallationDetails")
PARAMETER_NAMES = ("flags", "args", "options")
MAP_WORDS = ("title", "height", "theme", "channel", "vendor", "homepage")
ACTIVITY_FIELDS = ("description", "status", "name", "version", "enabled")
STACK_SERVICES = ("mysql", "web", "redis", "worker", "nginx")
KINDS = ("default", "standard", "custom", "basic", "extended")
USER_INPUT_VALUES = ("Mein Blog", "admin", "de_DE", "Musterfirma Shop", "true", "en_US")
CONVERSATION_CATEGORIES = ("Technik", "Buchhaltung", "Domains", "E-Mail", "Vertrag", "Sonstiges")
TECHNOLOGIES = ("WordPress", "jQuery", "Google Analytics", "Shopware", "PHP", "Bootstrap")
TECHNOLOGY_CATEGORIES = ("CMS", "E-Commerce", "Analytics", "JavaScript libraries")
HANDLE_FIELDS = ("firstname", "lastname", "organisation", "street", "city", "email", "phone")
DNS_NAMES = ("@", "www", "mail", "_dmarc", "autodiscover", "shop")
ACTIONS = ("projectCreated", "appInstalled", "cronjobUpdated", "domainDeleted", "userInvited")
KEY_NAMES = ("Production", "Chatbot", "CI pipeline", "Support assistant")
STATISTICS = ("webspace", "mail", "databases", "backups")
LICENSES = ("MIT", "GPL-2.0-or-later", "Apache-2.0", "AGPL-3.0")
PORT_NAMES = ("http", "https", "mysql", "redis", "metrics")
ADDON_KEYS = ("Varnish", "cpu", "memory", "storage", "inclusive_domains")
PATH_NAMES = ("index.php", "wp-config.php", "uploads", ".htaccess", "composer.json")
MAILBOX_NAMES = ("newsletter", "noreply", "info", "rechnungen", "support")
VCL_SNIPPETS = (
    'vcl 4.1;\n\nbackend default {\n    .host = "127.0.0.1";\n    .port = "8080";\n}\n',
    'sub vcl_recv {\n    if (req.url ~ "^/admin") {\n        return (pass);\n    }\n}\n',
)
