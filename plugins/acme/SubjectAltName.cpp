#include "SubjectAltName.h"

namespace rport::plugins::acme {

X509ExtensionPtr subjectAltNameDns(const std::string& name) {
    GeneralNames names(GENERAL_NAMES_new());
    GENERAL_NAME* gn = GENERAL_NAME_new();
    ASN1_IA5STRING* ia5 = ASN1_IA5STRING_new();
    if (!names || !gn || !ia5 ||
        ASN1_STRING_set(ia5, name.data(), static_cast<int>(name.size())) != 1) {
        GENERAL_NAME_free(gn);
        ASN1_IA5STRING_free(ia5);
        throwOpenSsl("cannot build subjectAltName");
    }
    GENERAL_NAME_set0_value(gn, GEN_DNS, ia5);
    if (sk_GENERAL_NAME_push(names.get(), gn) <= 0) {
        GENERAL_NAME_free(gn);
        throwOpenSsl("cannot build subjectAltName");
    }
    X509ExtensionPtr ext(X509V3_EXT_i2d(NID_subject_alt_name, 0, names.get()));
    if (!ext) throwOpenSsl("cannot encode subjectAltName");
    return ext;
}

}  // namespace rport::plugins::acme
