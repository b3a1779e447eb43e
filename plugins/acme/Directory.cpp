#include "Directory.h"

#include "JsonReader.h"
#include "LogText.h"

namespace rport::plugins::acme {

Directory Directory::parse(const std::string& json, const std::string& url) {
    Directory d;
    d.url = url;
    Poco::JSON::Object::Ptr object;
    try {
        object = parseJsonObject(json, "the ACME directory at " + printable(url));
    } catch (const JsonError& e) {
        throw std::runtime_error(std::string(e.what()) + "; is directory_url an ACME directory?");
    }
    d.newNonce = stringMember(object, "newNonce");
    d.newAccount = stringMember(object, "newAccount");
    d.newOrder = stringMember(object, "newOrder");
    d.revokeCert = stringMember(object, "revokeCert");
    d.keyChange = stringMember(object, "keyChange");
    d.renewalInfo = stringMember(object, "renewalInfo");
    const auto meta = objectMember(object, "meta");
    d.termsOfService = stringMember(meta, "termsOfService");
    d.website = stringMember(meta, "website");
    d.externalAccountRequired = booleanMember(meta, "externalAccountRequired");
    if (d.newNonce.empty() || d.newAccount.empty() || d.newOrder.empty())
        throw std::runtime_error(
            "the document at " + printable(url) +
            " lacks newNonce, newAccount or newOrder; is directory_url an ACME directory?");
    return d;
}

}  // namespace rport::plugins::acme
