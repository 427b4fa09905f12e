"""XAdES-BES signatures on e-Tax XML, as ETDA signs: enveloped, RSA-SHA512, SHA-512 digests,
canonical XML 1.0, the signing certificate (and its chain) in KeyInfo and SigningCertificate.

The key and certificate come from a PKCS#12 file (.p12/.pfx) whose path and password are in
the settings (`shopledger settings signing`).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from lxml import etree
from signxml import CanonicalizationMethod, DigestAlgorithm, SignatureMethod
from signxml.xades import XAdESSigner

from shopledger.domain.errors import DomainError


@dataclass(frozen=True)
class SigningKey:
    key: rsa.RSAPrivateKey
    certificates: tuple[x509.Certificate, ...]  # the signer's first, then its chain

    @property
    def subject(self) -> str:
        return self.certificates[0].subject.rfc4514_string()

    @property
    def not_after(self) -> str:
        return self.certificates[0].not_valid_after_utc.isoformat()


def load_signing_key(path: str | Path, password: str) -> SigningKey:
    """The RSA key and certificates of a PKCS#12 file; a clear reason when it cannot be used."""
    file = Path(path)
    try:
        data = file.read_bytes()
    except OSError as error:
        raise DomainError("signing_key_unreadable", f"cannot read the PKCS#12 file {file}: {error.strerror}") from None
    try:
        key, cert, chain = pkcs12.load_key_and_certificates(data, password.encode() if password else None)
    except ValueError:
        raise DomainError("signing_key_unreadable",
                          f"{file} is not a PKCS#12 file, or the password does not open it") from None
    if key is None or cert is None:
        raise DomainError("signing_key_unreadable", f"{file} must hold a private key and its certificate")
    if not isinstance(key, rsa.RSAPrivateKey):
        raise DomainError("signing_key_unreadable", f"{file} holds a {type(key).__name__}; ETDA signs with RSA")
    return SigningKey(key, (cert, *(chain or ())))


def sign_xml(xml: bytes, signing: SigningKey) -> bytes:
    """The document with an enveloped XAdES-BES ds:Signature as its last element."""
    root = etree.fromstring(xml, parser=etree.XMLParser(remove_blank_text=True, resolve_entities=False))
    signer = XAdESSigner(signature_algorithm=SignatureMethod.RSA_SHA512, digest_algorithm=DigestAlgorithm.SHA512,
                         c14n_algorithm=CanonicalizationMethod.CANONICAL_XML_1_0)
    signed = signer.sign(root, key=signing.key, cert=list(signing.certificates))
    return etree.tostring(signed, xml_declaration=True, encoding="UTF-8")
