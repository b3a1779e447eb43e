#include "CertificateRequest.h"

#include "SubjectAltName.h"

namespace rport::plugins::acme {

std::string certificateRequestDer(const PrivateKey& key, const std::string& name) {
    X509ReqPtr req(X509_REQ_new());
    if (!req || X509_REQ_set_version(req.get(), 0) != 1) throwOpenSsl("cannot make a CSR");
    // CN is limited to 64 characters (RFC 5280 ub-common-name); the SAN is
    // what counts anyway.
    if (name.size() <= 64) {
        X509_NAME* subject = X509_REQ_get_subject_name(req.get());
        if (X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_ASC,
                                       reinterpret_cast<const unsigned char*>(name.c_str()), -1, -1,
                                       0) != 1)
            throwOpenSsl("cannot set the CSR's subject");
    }
    STACK_OF(X509_EXTENSION)* exts = sk_X509_EXTENSION_new_null();
    X509ExtensionPtr san = subjectAltNameDns(name);
    sk_X509_EXTENSION_push(exts, san.get());
    const int added = X509_REQ_add_extensions(req.get(), exts);
    sk_X509_EXTENSION_free(exts);
    if (added != 1) throwOpenSsl("cannot add subjectAltName to the CSR");
    if (X509_REQ_set_pubkey(req.get(), key.get()) != 1 ||
        X509_REQ_sign(req.get(), key.get(), EVP_sha256()) <= 0)
        throwOpenSsl("cannot sign the CSR");
    const int len = i2d_X509_REQ(req.get(), nullptr);
    if (len <= 0) throwOpenSsl("cannot encode the CSR");
    std::string der(static_cast<size_t>(len), '\0');
    unsigned char* p = reinterpret_cast<unsigned char*>(der.data());
    i2d_X509_REQ(req.get(), &p);
    return der;
}

}  // namespace rport::plugins::acme
