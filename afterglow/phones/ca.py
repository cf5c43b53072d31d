"""The journal's own small certificate authority, for phones on the home network.

Files in $AFTERGLOW_HOME/phones/ (format version 1):
    ca.json      {"format": "afterglow-phone-ca", "version": 1, "certificate": PEM,
                  "key": {"nonce", "ciphertext"}}   the CA's private key (PKCS#8 DER) sealed with
                 AES-256-GCM under the journal's data key, as keys.json seals the data key: it opens
                 only while the journal is unlocked and never exists in clear on disk.
    server.pem   the LAN listener's certificate followed by the CA certificate (public).
    server.key   the LAN listener's private key, in clear but owner-only (0600). `serve --lan` must
                 answer phones while the journal is locked (to show them the unlock page), when no
                 data key is in memory; this key opens nothing of the journal, it only lets the
                 listener prove it is this journal's server. A new one (a new address, or close to
                 expiry) needs the CA key, so it is issued only while the journal is unlocked.

The CA may only vouch for home-network names (name constraints: private, link-local and loopback
addresses and `.local`), so a copy of its key could not impersonate any site on the internet to a
phone that trusts it.
"""

from __future__ import annotations

import ipaddress
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from afterglow.lib.errors import UserError
from afterglow.vault import crypto, store

FORMAT = "afterglow-phone-ca"
VERSION = 1
KEY_PURPOSE = "afterglow phones/ca.json v1: CA private key under the data key"
CA_YEARS = 10
# Phones refuse server certificates valid for longer than about 13 months (Apple: 398 days).
SERVER_DAYS = 397
RENEW_BEFORE = timedelta(days=30)

HOME_NETWORKS = [
    ipaddress.ip_network(net)
    for net in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16", "127.0.0.0/8",
                "fc00::/7", "fe80::/10", "::1/128")
]  # fmt: skip


class NotHomeNetwork(UserError, ValueError):
    """The address is not a home-network one: Afterglow does not serve the journal there."""

    def __init__(self, address: str) -> None:
        super().__init__(f"{address} is not a home-network address; Afterglow serves phones only on a home network")
        self.address = address


@dataclass(frozen=True)
class Authority:
    certificate: x509.Certificate
    key: ec.EllipticCurvePrivateKey


def folder() -> Path:
    return store.home() / "phones"


def made_folder() -> Path:
    """The phones folder, owner-only like the rest of the data directory."""
    path = folder()
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def ca_path() -> Path:
    return folder() / "ca.json"


def server_cert_path() -> Path:
    return folder() / "server.pem"


def server_key_path() -> Path:
    return folder() / "server.key"


def is_home_address(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in net for net in HOME_NETWORKS)


def _now() -> datetime:
    return datetime.now(UTC)


def _name(text: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, text)])


def _constraints() -> x509.NameConstraints:
    permitted: list[x509.GeneralName] = [x509.IPAddress(net) for net in HOME_NETWORKS]
    permitted.append(x509.DNSName("local"))
    return x509.NameConstraints(permitted_subtrees=permitted, excluded_subtrees=None)


def new_authority(label: str) -> Authority:
    key = ec.generate_private_key(ec.SECP256R1())
    name = _name(f"Afterglow journal {label} (home network only)")
    now = _now()
    ski = x509.SubjectKeyIdentifier.from_public_key(key.public_key())
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(hours=1))
        .not_valid_after(now + timedelta(days=365 * CA_YEARS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_ca_usage(), critical=True)
        .add_extension(ski, critical=False)
        .add_extension(_constraints(), critical=True)
        .sign(key, hashes.SHA256())
    )
    return Authority(cert, key)


def _ca_usage() -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=True, content_commitment=False, key_encipherment=False, data_encipherment=False,
        key_agreement=False, key_cert_sign=True, crl_sign=True, encipher_only=False, decipher_only=False,
    )  # fmt: skip


def _server_usage() -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=True, content_commitment=False, key_encipherment=False, data_encipherment=False,
        key_agreement=False, key_cert_sign=False, crl_sign=False, encipher_only=False, decipher_only=False,
    )  # fmt: skip


def seal(authority: Authority, data_key: bytes) -> bytes:
    """ca.json's bytes: the certificate in clear, the private key sealed under the data key."""
    raw = authority.key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    doc = {
        "format": FORMAT,
        "version": VERSION,
        "certificate": authority.certificate.public_bytes(serialization.Encoding.PEM).decode(),
        "key": crypto.wrap(data_key, raw, KEY_PURPOSE),
    }
    return (json.dumps(doc, indent=2) + "\n").encode()


def unseal(data: bytes, data_key: bytes) -> Authority | None:
    """The authority in ca.json, or None when it is not ours to open (another data key, damage)."""
    try:
        doc = json.loads(data)
        if doc.get("format") != FORMAT or doc.get("version") != VERSION:
            return None
        raw = crypto.unwrap(data_key, doc["key"], KEY_PURPOSE)
        cert = x509.load_pem_x509_certificate(doc["certificate"].encode())
    except (ValueError, KeyError, TypeError, AttributeError):
        return None
    if raw is None:
        return None
    key = serialization.load_der_private_key(raw, password=None)
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        return None
    return Authority(cert, key)


def root_certificate() -> x509.Certificate | None:
    """The CA certificate (public: phones install it), without the data key."""
    try:
        doc = json.loads(ca_path().read_bytes())
        return x509.load_pem_x509_certificate(doc["certificate"].encode())
    except (OSError, ValueError, KeyError, TypeError):
        return None


def ensure_authority(data_key: bytes, label: str) -> Authority:
    """This journal's CA, made on first use. A journal given a new data key (`passphrase rekey`)
    cannot open the old one: it gets a new CA, and phones install the new root once."""
    path = ca_path()
    if path.is_file():
        found = unseal(path.read_bytes(), data_key)
        if found is not None:
            return found
    authority = new_authority(label)
    made_folder()
    store.atomic_write(path, seal(authority, data_key))
    return authority


def issue_server(authority: Authority, address: str, local_name: str) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    if not is_home_address(address):
        raise NotHomeNetwork(address)
    key = ec.generate_private_key(ec.SECP256R1())
    now = _now()
    names: list[x509.GeneralName] = [x509.IPAddress(ipaddress.ip_address(address)), x509.DNSName(local_name)]
    ca_ski = authority.certificate.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(local_name))
        .issuer_name(authority.certificate.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(hours=1))
        .not_valid_after(now + timedelta(days=SERVER_DAYS))
        .add_extension(x509.SubjectAlternativeName(names), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_server_usage(), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ca_ski), critical=False)
        .sign(authority.key, hashes.SHA256())
    )
    return cert, key


def write_server(authority: Authority, cert: x509.Certificate, key: ec.EllipticCurvePrivateKey) -> None:
    chain = cert.public_bytes(serialization.Encoding.PEM) + authority.certificate.public_bytes(serialization.Encoding.PEM)
    pem_key = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    made_folder()
    store.atomic_write(server_key_path(), pem_key)  # 0600, like every atomic write
    store.atomic_write(server_cert_path(), chain)


def server_fits(address: str, local_name: str, root: x509.Certificate | None = None) -> bool:
    """Whether server.pem names this address and name, comes from this CA, and is not near its end."""
    try:
        cert = x509.load_pem_x509_certificate(server_cert_path().read_bytes())
        if not server_key_path().is_file():
            return False
        names = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except (OSError, ValueError, x509.ExtensionNotFound):
        return False
    root = root or root_certificate()
    if root is None or cert.issuer != root.subject:
        return False
    ips = {str(ip) for ip in names.get_values_for_type(x509.IPAddress)}
    dns = set(names.get_values_for_type(x509.DNSName))
    fresh = cert.not_valid_after_utc - _now() > RENEW_BEFORE
    return fresh and address in ips and local_name in dns


def ensure_server(data_key: bytes, label: str, address: str, local_name: str) -> None:
    """A server certificate for this address and name (issued only when the present one does not fit)."""
    authority = ensure_authority(data_key, label)
    if server_fits(address, local_name, authority.certificate):
        return
    cert, key = issue_server(authority, address, local_name)
    write_server(authority, cert, key)


def spki_sha256(cert: x509.Certificate) -> str:
    """Base64 SHA-256 of the certificate's public key (what Chromium's SPKI lists and HPKP name)."""
    der = cert.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    digest = hashes.Hash(hashes.SHA256())
    digest.update(der)
    return crypto.b64(digest.finalize())


def fingerprint(cert: x509.Certificate) -> str:
    """SHA-256 of the certificate, as phones show it in their certificate details."""
    return cert.fingerprint(hashes.SHA256()).hex(":").upper()
