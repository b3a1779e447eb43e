// AuthBackend::verifySecret for every way a backend can hold a secret:
// plaintext, bcrypt (all three prefixes), withheld, and through verify().
#include <cppunit/extensions/HelperMacros.h>

#include <rport/password.hpp>

#include "LogCapture.h"
#include "PluginDir.h"
#include "plugin_host/AuthBackend.h"
#include "plugin_host/HostServices.h"
#include "plugin_host/PluginRegistry.h"

using rport::test::PluginDir;
using namespace rportd::plugin_host;

namespace {

std::string bcrypt(const std::string& plain, const char* prefix) {
    return prefix + rport::sdk::password::hashBcrypt(plain, 4)->substr(4);
}

}  // namespace

class AuthBackendVerifyTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(AuthBackendVerifyTest);
    CPPUNIT_TEST(testPlaintext);
    CPPUNIT_TEST(testAutoDetectsBcrypt);
    CPPUNIT_TEST(testHashed);
    CPPUNIT_TEST(testWithheldWithoutVerifyIsAnError);
    CPPUNIT_TEST(testUnknownAndUnavailable);
    CPPUNIT_TEST(testVerifySlotIsPreferred);
    CPPUNIT_TEST(testVerifySlotUnknownAndUnavailable);
    CPPUNIT_TEST(testDeclinedVerifyFallsBackToCompare);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override {
        _services = std::make_unique<HostServices>(HostOptions{"/tmp", 4});
        _registry = std::make_unique<PluginRegistry>(*_services);
        _dir.add("memory");
        _registry->loadDirectory(_dir.path());
        _hash2a = bcrypt("alpha", "$2a$");
        _hash2b = bcrypt("bravo", "$2b$");
        _hash2y = bcrypt("yankee", "$2y$");
        _settings = {{"user.plain", "plain:open sesame"},
                     {"user.auto-plain", "auto:letmein"},
                     {"user.looks-hashed", "plain:" + _hash2b},
                     {"user.a", "auto:" + _hash2a},
                     {"user.b", "auto:" + _hash2b},
                     {"user.y", "hashed:" + _hash2y},
                     {"user.not-bcrypt", "hashed:$6$salt$abcdef"},
                     {"user.secretive", "withheld:"},
                     {"user.legacy-plain", "plain:old"},
                     {"user.legacy-hashed", "hashed:" + _hash2a},
                     {"unavailable", "flaky"},
                     {"user.flaky", "plain:x"}};
    }
    void tearDown() override {
        _registry.reset();
        _services.reset();
    }

    void testPlaintext() {
        AuthBackend store(*_registry, RPORT_KIND_CLIENT_AUTH, "memory", _settings);
        CPPUNIT_ASSERT(store.verifySecret("plain", "open sesame") == VerifyResult::Match);
        CPPUNIT_ASSERT(store.verifySecret("plain", "open sesame ") == VerifyResult::Mismatch);
        CPPUNIT_ASSERT(store.verifySecret("plain", "") == VerifyResult::Mismatch);
        CPPUNIT_ASSERT(store.verifySecret("auto-plain", "letmein") == VerifyResult::Match);
        // PLAIN means plaintext even when it looks like a hash.
        CPPUNIT_ASSERT(store.verifySecret("looks-hashed", "bravo") == VerifyResult::Mismatch);
        CPPUNIT_ASSERT(store.verifySecret("looks-hashed", _hash2b) == VerifyResult::Match);
    }

    void testAutoDetectsBcrypt() {
        AuthBackend store(*_registry, RPORT_KIND_CLIENT_AUTH, "memory", _settings);
        CPPUNIT_ASSERT(store.verifySecret("a", "alpha") == VerifyResult::Match);
        CPPUNIT_ASSERT(store.verifySecret("a", "Alpha") == VerifyResult::Mismatch);
        CPPUNIT_ASSERT(store.verifySecret("a", _hash2a) == VerifyResult::Mismatch);
        CPPUNIT_ASSERT(store.verifySecret("b", "bravo") == VerifyResult::Match);
        CPPUNIT_ASSERT(store.verifySecret("b", "brav0") == VerifyResult::Mismatch);
    }

    void testHashed() {
        AuthBackend store(*_registry, RPORT_KIND_CLIENT_AUTH, "memory", _settings);
        CPPUNIT_ASSERT(store.verifySecret("y", "yankee") == VerifyResult::Match);
        CPPUNIT_ASSERT(store.verifySecret("y", "yank") == VerifyResult::Mismatch);
        rport::test::LogCapture log;
        CPPUNIT_ASSERT(store.verifySecret("not-bcrypt", "x") == VerifyResult::Error);
        CPPUNIT_ASSERT_EQUAL(size_t(1), log.errorsMentioning("not a supported bcrypt hash").size());
    }

    void testWithheldWithoutVerifyIsAnError() {
        AuthBackend store(*_registry, RPORT_KIND_CLIENT_AUTH, "memory", _settings);
        rport::test::LogCapture log;
        CPPUNIT_ASSERT(store.verifySecret("secretive", "") == VerifyResult::Error);
        CPPUNIT_ASSERT(store.verifySecret("secretive", "anything") == VerifyResult::Error);
        CPPUNIT_ASSERT(log.contains("withholds secrets but offers no verify"));
    }

    void testUnknownAndUnavailable() {
        AuthBackend store(*_registry, RPORT_KIND_CLIENT_AUTH, "memory", _settings);
        CPPUNIT_ASSERT(store.verifySecret("nobody", "x") == VerifyResult::UnknownId);
        rport::test::LogCapture log;
        CPPUNIT_ASSERT(store.verifySecret("flaky", "x") == VerifyResult::Unavailable);
        CPPUNIT_ASSERT(log.contains("client-auth/memory: get failed: database down"));
    }

    void testVerifySlotIsPreferred() {
        AuthBackend store(*_registry, RPORT_KIND_CLIENT_AUTH, "memory-verify", _settings);
        CPPUNIT_ASSERT(store.offersVerify());
        // get() of this backend withholds every secret, so a Match can only
        // have come from its verify().
        std::optional<rport::sdk::AuthRecord> record;
        CPPUNIT_ASSERT(store.get("plain", record).ok());
        CPPUNIT_ASSERT_EQUAL(uint32_t(RPORT_SECRET_WITHHELD), record->secretKind);
        CPPUNIT_ASSERT(record->secret.empty());
        CPPUNIT_ASSERT(store.verifySecret("plain", "open sesame") == VerifyResult::Match);
        CPPUNIT_ASSERT(store.verifySecret("plain", "open") == VerifyResult::Mismatch);
        CPPUNIT_ASSERT(store.verifySecret("y", "yankee") == VerifyResult::Match);
        CPPUNIT_ASSERT(store.verifySecret("y", "x") == VerifyResult::Mismatch);
    }

    void testVerifySlotUnknownAndUnavailable() {
        AuthBackend store(*_registry, RPORT_KIND_CLIENT_AUTH, "memory-verify", _settings);
        CPPUNIT_ASSERT(store.verifySecret("nobody", "x") == VerifyResult::UnknownId);
        CPPUNIT_ASSERT(store.verifySecret("flaky", "x") == VerifyResult::Unavailable);
    }

    void testDeclinedVerifyFallsBackToCompare() {
        AuthBackend store(*_registry, RPORT_KIND_CLIENT_AUTH, "memory-verify", _settings);
        CPPUNIT_ASSERT(store.verifySecret("legacy-plain", "old") == VerifyResult::Match);
        CPPUNIT_ASSERT(store.verifySecret("legacy-plain", "new") == VerifyResult::Mismatch);
        CPPUNIT_ASSERT(store.verifySecret("legacy-hashed", "alpha") == VerifyResult::Match);
        CPPUNIT_ASSERT(store.verifySecret("legacy-hashed", "beta") == VerifyResult::Mismatch);
    }

private:
    PluginDir _dir;
    std::unique_ptr<HostServices> _services;
    std::unique_ptr<PluginRegistry> _registry;
    std::string _hash2a, _hash2b, _hash2y;
    Settings _settings;
};

CPPUNIT_TEST_SUITE_REGISTRATION(AuthBackendVerifyTest);
