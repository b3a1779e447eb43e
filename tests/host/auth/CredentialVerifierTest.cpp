// The verifier over a real plugin (static.so) loaded through the real registry.
#include <cppunit/extensions/HelperMacros.h>

#include <rport/password.hpp>

#include "TempDir.h"
#include "auth/CredentialVerifier.h"
#include "plugin_host/HostServices.h"
#include "plugin_host/PluginRegistry.h"

using namespace rportd;
using plugin_host::VerifyResult;

class CredentialVerifierTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(CredentialVerifierTest);
    CPPUNIT_TEST(plaintextEntries);
    CPPUNIT_TEST(bcryptEntriesAreCheckedOnceThenCached);
    CPPUNIT_TEST(wrongSecretsAreNeverCached);
    CPPUNIT_TEST(unknownIds);
    CPPUNIT_TEST_SUITE_END();

    std::unique_ptr<plugin_host::HostServices> services;
    std::unique_ptr<plugin_host::PluginRegistry> registry;

    std::unique_ptr<plugin_host::AuthBackend> staticStore(const std::string& auth) {
        return std::make_unique<plugin_host::AuthBackend>(*registry, RPORT_KIND_CLIENT_AUTH, "static",
                                                          plugin_host::Settings{{"auth", auth}});
    }

public:
    void setUp() override {
        services = std::make_unique<plugin_host::HostServices>(plugin_host::HostOptions{"/tmp"});
        registry = std::make_unique<plugin_host::PluginRegistry>(*services);
        registry->loadFile(rport::test::buildDir() + "/lib/rportd/plugins/static.so");
    }
    void tearDown() override {
        registry.reset();
        services.reset();
    }

    void plaintextEntries() {
        auto store = staticStore("client1:pw:with:colons");
        auth::VerificationCache cache;
        auth::CredentialVerifier v(*store, &cache);
        CPPUNIT_ASSERT(v.verify("client1", "pw:with:colons") == VerifyResult::Match);
        CPPUNIT_ASSERT(v.verify("client1", "pw") == VerifyResult::Mismatch);
        CPPUNIT_ASSERT_EQUAL(size_t(0), cache.size());  // plaintext needs no cache
    }

    void bcryptEntriesAreCheckedOnceThenCached() {
        auto hash = rport::sdk::password::hashBcrypt("s3cret", 10, "$2y$");
        auto store = staticStore("client1:" + *hash);
        auth::VerificationCache cache;
        auth::CredentialVerifier v(*store, &cache);

        CPPUNIT_ASSERT(v.verify("client1", "s3cret") == VerifyResult::Match);
        CPPUNIT_ASSERT_EQUAL(size_t(1), cache.size());
        CPPUNIT_ASSERT_EQUAL(uint64_t(0), cache.hits());

        for (int i = 0; i < 100; ++i) CPPUNIT_ASSERT(v.verify("client1", "s3cret") == VerifyResult::Match);
        CPPUNIT_ASSERT_EQUAL(uint64_t(100), cache.hits());
    }

    void wrongSecretsAreNeverCached() {
        auto hash = rport::sdk::password::hashBcrypt("s3cret", 4, "$2b$");
        auto store = staticStore("client1:" + *hash);
        auth::VerificationCache cache;
        auth::CredentialVerifier v(*store, &cache);
        CPPUNIT_ASSERT(v.verify("client1", "guess") == VerifyResult::Mismatch);
        CPPUNIT_ASSERT(v.verify("client1", "guess") == VerifyResult::Mismatch);
        CPPUNIT_ASSERT_EQUAL(size_t(0), cache.size());
    }

    void unknownIds() {
        auto store = staticStore("client1:pw");
        auth::CredentialVerifier v(*store, nullptr);
        CPPUNIT_ASSERT(v.verify("nobody", "pw") == VerifyResult::UnknownId);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(CredentialVerifierTest);
