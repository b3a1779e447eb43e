#pragma once
// Keys and certificates made at test time with OpenSSL, and a harness that
// opens the built certfiles.so through the SDK's fake host.
#include <rport/testing.hpp>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "TempDir.h"

namespace rport::test::certfiles {

enum class KeyType { EcdsaP256, Rsa2048 };

struct KeyPem {
    std::string pem;  // unencrypted PKCS#8
};

struct Issued {
    std::string certPem;  // the leaf alone
    std::string keyPem;
    std::string chainPem;  // leaf + issuing CA (same as certPem when self-signed)
    std::string serial;    // upper-case hex
};

// A CA that signs leaves; each leaf gets a new key and a new serial.
class TestCa {
public:
    TestCa();
    ~TestCa();
    TestCa(const TestCa&) = delete;
    TestCa& operator=(const TestCa&) = delete;
    Issued issue(const std::string& dnsName, KeyType type = KeyType::EcdsaP256);
    const std::string& certPem() const { return _certPem; }

private:
    struct State;
    std::unique_ptr<State> _state;
    std::string _certPem;
};

// A self-signed leaf with a new key.
Issued selfSigned(const std::string& dnsName, KeyType type = KeyType::EcdsaP256);
// The same key, password protected: PKCS#8 ("ENCRYPTED PRIVATE KEY") or the
// traditional form with "Proc-Type: 4,ENCRYPTED".
std::string encryptedKey(const std::string& keyPem, bool traditional);

// The serial (upper-case hex) of the first certificate in a PEM text; "" if none.
std::string firstSerial(const std::string& chainPem);
// Number of certificates in a PEM text.
size_t certificateCount(const std::string& chainPem);
// True when the key belongs to the first certificate.
bool keyMatches(std::string_view chainPem, std::string_view keyPem);

// Writes a file in place (open with truncation, write), with the given mode.
void writeInPlace(const std::string& path, const std::string& text, int mode = 0600);
// Writes a sibling temp file and renames it over path.
void replaceByRename(const std::string& path, const std::string& text, int mode = 0600);

// Polls until pred is true or the timeout passes; returns the last result.
bool waitUntil(const std::function<bool()>& pred, std::chrono::milliseconds timeout = std::chrono::seconds(5));

// The fake host with certfiles.so opened.
class Harness {
public:
    Harness();
    rport::sdk::testing::FakeHost host;
    rport::sdk::testing::LoadedPlugin plugin;

    std::unique_ptr<rport::sdk::CertClient> create(const std::string& backend);
    // create() that is expected to fail; returns the error message.
    std::string createError(const std::string& backend);
    // Serial of the certificate served now ("" when none).
    static std::string servedSerial(const rport::sdk::CertClient& client);
    size_t countLogs(int32_t level, const std::string& needle = "") const;
    std::string allLogs() const;
};

}  // namespace rport::test::certfiles
