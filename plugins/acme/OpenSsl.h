#pragma once
// Owning handles for the OpenSSL objects this plugin makes, and the text of
// OpenSSL's error queue for messages.
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

namespace rport::plugins::acme {

template <class T, void (*Free)(T*)>
struct OpenSslDeleter {
    void operator()(T* p) const noexcept { Free(p); }
};
template <class T, void (*Free)(T*)>
using OpenSslPtr = std::unique_ptr<T, OpenSslDeleter<T, Free>>;

using Bio = OpenSslPtr<BIO, BIO_free_all>;
using PkeyPtr = OpenSslPtr<EVP_PKEY, EVP_PKEY_free>;
using MdCtx = OpenSslPtr<EVP_MD_CTX, EVP_MD_CTX_free>;
using BigNum = OpenSslPtr<BIGNUM, BN_free>;
using EcdsaSig = OpenSslPtr<ECDSA_SIG, ECDSA_SIG_free>;
using X509Ptr = OpenSslPtr<X509, X509_free>;
using X509ReqPtr = OpenSslPtr<X509_REQ, X509_REQ_free>;
using X509NamePtr = OpenSslPtr<X509_NAME, X509_NAME_free>;
using X509ExtensionPtr = OpenSslPtr<X509_EXTENSION, X509_EXTENSION_free>;
using GeneralNames = OpenSslPtr<GENERAL_NAMES, GENERAL_NAMES_free>;
using OctetString = OpenSslPtr<ASN1_OCTET_STRING, ASN1_OCTET_STRING_free>;
using Asn1Object = OpenSslPtr<ASN1_OBJECT, ASN1_OBJECT_free>;

class CryptoError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// "what: <OpenSSL's reasons>", emptying the error queue.
std::string opensslFailure(const std::string& what);
[[noreturn]] void throwOpenSsl(const std::string& what);

// A memory BIO over text (read only; no copy is made).
Bio readBio(std::string_view text);
// What was written into a memory BIO.
std::string bioText(BIO* bio);

// SHA-256 of data, 32 raw bytes.
std::string sha256(const std::string& data);

}  // namespace rport::plugins::acme
