#pragma once
// Reading a certificate file and a key file into a checked pair: every
// certificate of the chain parses, the key parses, is not encrypted and
// belongs to the first (leaf) certificate. Nothing is kept on failure.
#include <cstdint>
#include <rport/secret.hpp>
#include <string>
#include <vector>

namespace rport::plugins::certfiles {

struct CertPair {
    std::string chainPem;  // leaf first, then the intermediates, as in the file
    rport::sdk::SecretString keyPem;  // unencrypted PKCS#8, wiped when released
    int64_t notBefore = 0;
    int64_t notAfter = 0;
    std::string serial;                 // upper-case hex, as openssl prints it
    std::string notAfterText;           // "2027-03-01 12:00:00 UTC"
    std::vector<std::string> dnsNames;  // the leaf's DNS subject alternative names

    bool sameAs(const CertPair& o) const { return chainPem == o.chainPem && keyPem == o.keyPem; }
};

struct LoadResult {
    bool ok = false;
    CertPair pair;
    std::string problem;  // names the file at fault
};

// Reads and checks both files. Never throws for bad input; the problem texts
// are the start-up error messages:
//   cannot read certificate file <path>: <strerror>   (key file likewise)
//   <path> holds no PEM certificate / <path> holds no PEM private key
//   <path>: the key must not be password protected
//   the key in <key> does not match the certificate in <cert>
LoadResult loadCertPair(const std::string& certPath, const std::string& keyPath);

// "2027-03-01 12:00:00 UTC" for Unix seconds.
std::string utcText(int64_t unixSeconds);

}  // namespace rport::plugins::certfiles
