#include "ChallengeResponder.h"

#include "AcmeFailure.h"
#include "Base64Url.h"
#include "LogText.h"
#include "TlsAlpnCertificate.h"

namespace rport::plugins::acme {

void ChallengeResponder::publish(ChallengeType type, const std::string& name,
                                 const std::string& token, const std::string& keyAuthorization) {
    // The token becomes part of a URL path on our listener (HTTP-01) and of
    // the key authorization: refuse anything but base64url (uacme does too).
    if (!isBase64UrlText(token) || token.size() > 256)
        throw AcmeFailure("the CA sent a challenge token that is not base64url (\"" +
                          printable(token, 80) + "\"); refusing to publish it");
    if (type == ChallengeType::Http01) {
        _host.publishHttp01(token, keyAuthorization);
        _published.push_back({type, token});
    } else {
        const TlsAlpnCertificate cert = makeTlsAlpnCertificate(name, keyAuthorization);
        _host.publishTlsAlpn01(name, cert.certPem, cert.keyPem);
        _published.push_back({type, name});
    }
}

void ChallengeResponder::withdrawAll() {
    for (const Published& p : _published) {
        if (p.type == ChallengeType::Http01)
            _host.withdrawHttp01(p.key);
        else
            _host.withdrawTlsAlpn01(p.key);
    }
    _published.clear();
}

}  // namespace rport::plugins::acme
