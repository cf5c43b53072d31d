from __future__ import annotations

import ipaddress
import os
import stat
from datetime import UTC, datetime, timedelta

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.verification import PolicyBuilder, Store, VerificationError

from afterglow.phones import ca


def _verify(root: x509.Certificate, leaf: x509.Certificate, name: x509.DNSName | x509.IPAddress) -> None:
    verifier = PolicyBuilder().store(Store([root])).build_server_verifier(name)
    verifier.verify(leaf, [])


def test_it_keeps_the_ca_key_sealed_under_the_data_key_and_never_in_clear():
    key = os.urandom(32)
    authority = ca.ensure_authority(key, "test")
    stored = ca.ca_path().read_bytes()
    raw = authority.key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    assert b"PRIVATE KEY" not in stored
    assert raw not in stored and ca.crypto.b64(raw).encode() not in stored
    assert ca.unseal(stored, key) is not None
    assert ca.unseal(stored, os.urandom(32)) is None


def test_it_reuses_the_ca_and_makes_a_new_one_only_for_a_new_data_key():
    key = os.urandom(32)
    first = ca.ensure_authority(key, "test").certificate
    assert ca.ensure_authority(key, "test").certificate == first
    assert ca.ensure_authority(os.urandom(32), "test").certificate != first


def test_it_issues_a_server_certificate_that_verifies_for_the_address_and_the_local_name():
    key = os.urandom(32)
    ca.ensure_server(key, "test", "192.168.1.20", "studio.local")
    root = ca.root_certificate()
    chain = x509.load_pem_x509_certificates(ca.server_cert_path().read_bytes())
    assert root is not None and chain[1] == root
    _verify(root, chain[0], x509.IPAddress(ipaddress.ip_address("192.168.1.20")))
    _verify(root, chain[0], x509.DNSName("studio.local"))
    assert chain[0].not_valid_after_utc - datetime.now(UTC) < timedelta(days=398)


def test_it_keeps_the_server_key_and_its_folder_owner_only():
    ca.ensure_server(os.urandom(32), "test", "10.0.0.5", "studio.local")
    assert stat.S_IMODE(ca.server_key_path().stat().st_mode) == 0o600
    assert stat.S_IMODE(ca.folder().stat().st_mode) == 0o700


def test_it_issues_a_new_server_certificate_when_the_address_changes():
    key = os.urandom(32)
    ca.ensure_server(key, "test", "192.168.1.20", "studio.local")
    assert ca.server_fits("192.168.1.20", "studio.local")
    assert not ca.server_fits("192.168.1.44", "studio.local")
    ca.ensure_server(key, "test", "192.168.1.44", "studio.local")
    assert ca.server_fits("192.168.1.44", "studio.local")


def test_it_refuses_to_issue_for_an_address_outside_a_home_network():
    authority = ca.new_authority("test")
    with pytest.raises(ca.NotHomeNetwork):
        ca.issue_server(authority, "8.8.8.8", "studio.local")


def test_it_cannot_vouch_for_a_site_on_the_internet_even_with_its_own_key():
    authority = ca.new_authority("test")
    leaf_key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.now(UTC)
    ski = authority.certificate.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    forged = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(x509.NameOID.COMMON_NAME, "bank.example")]))
        .issuer_name(authority.certificate.subject)
        .public_key(leaf_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(hours=1))
        .not_valid_after(now + timedelta(days=30))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("bank.example")]), critical=False)
        .add_extension(x509.ExtendedKeyUsage([x509.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski), critical=False)
        .sign(authority.key, hashes.SHA256())
    )
    with pytest.raises(VerificationError):
        _verify(authority.certificate, forged, x509.DNSName("bank.example"))


def test_it_tells_home_network_addresses_from_others():
    assert ca.is_home_address("192.168.0.7") and ca.is_home_address("10.1.2.3") and ca.is_home_address("fe80::1")
    assert not ca.is_home_address("8.8.8.8") and not ca.is_home_address("2001:db8::1") and not ca.is_home_address("x")
