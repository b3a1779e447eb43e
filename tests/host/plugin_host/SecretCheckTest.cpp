// Comparing a presented secret with a record a backend handed out.
#include <cppunit/extensions/HelperMacros.h>

#include <rport/password.hpp>

#include "plugin_host/SecretCheck.h"

using rport::sdk::AuthRecord;
using namespace rportd::plugin_host;

namespace {

AuthRecord record(uint32_t kind, const std::string& secret) {
    return AuthRecord{"id", secret, kind, {}, {}};
}

std::string hashOf(const std::string& plain, const char* prefix = "$2b$") {
    return prefix + rport::sdk::password::hashBcrypt(plain, 4)->substr(4);
}

}  // namespace

class SecretCheckTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(SecretCheckTest);
    CPPUNIT_TEST(testPlain);
    CPPUNIT_TEST(testAutoPlaintext);
    CPPUNIT_TEST(testAutoBcryptVariants);
    CPPUNIT_TEST(testHashed);
    CPPUNIT_TEST(testPlainThatLooksLikeAHashIsComparedLiterally);
    CPPUNIT_TEST(testWithheldCannotBeChecked);
    CPPUNIT_TEST(testEmptyStoredSecretNeverMatches);
    CPPUNIT_TEST(testUnknownKind);
    CPPUNIT_TEST_SUITE_END();

public:
    void testPlain() {
        CPPUNIT_ASSERT(checkSecret(record(RPORT_SECRET_PLAIN, "pw"), "pw") == VerifyResult::Match);
        CPPUNIT_ASSERT(checkSecret(record(RPORT_SECRET_PLAIN, "pw"), "pW") ==
                       VerifyResult::Mismatch);
        CPPUNIT_ASSERT(checkSecret(record(RPORT_SECRET_PLAIN, "pw"), "pw ") ==
                       VerifyResult::Mismatch);
    }

    void testAutoPlaintext() {
        CPPUNIT_ASSERT(checkSecret(record(RPORT_SECRET_AUTO, "pw"), "pw") == VerifyResult::Match);
        CPPUNIT_ASSERT(checkSecret(record(RPORT_SECRET_AUTO, "pw"), "px") ==
                       VerifyResult::Mismatch);
        // "$2x$" is not one of ours: plaintext.
        CPPUNIT_ASSERT(checkSecret(record(RPORT_SECRET_AUTO, "$2x$abc"), "$2x$abc") ==
                       VerifyResult::Match);
    }

    void testAutoBcryptVariants() {
        for (const char* prefix : {"$2a$", "$2b$", "$2y$"}) {
            const std::string hash = hashOf("s3cret", prefix);
            CPPUNIT_ASSERT(checkSecret(record(RPORT_SECRET_AUTO, hash), "s3cret") ==
                           VerifyResult::Match);
            CPPUNIT_ASSERT(checkSecret(record(RPORT_SECRET_AUTO, hash), "s3creT") ==
                           VerifyResult::Mismatch);
            // The hash itself is not a password.
            CPPUNIT_ASSERT(checkSecret(record(RPORT_SECRET_AUTO, hash), hash) ==
                           VerifyResult::Mismatch);
        }
    }

    void testHashed() {
        const std::string hash = hashOf("pw");
        CPPUNIT_ASSERT(checkSecret(record(RPORT_SECRET_HASHED, hash), "pw") == VerifyResult::Match);
        CPPUNIT_ASSERT(checkSecret(record(RPORT_SECRET_HASHED, hash), "pX") ==
                       VerifyResult::Mismatch);
        std::string why;
        CPPUNIT_ASSERT(checkSecret(record(RPORT_SECRET_HASHED, "$6$salt$x"), "pw", &why) ==
                       VerifyResult::Error);
        CPPUNIT_ASSERT(why.find("bcrypt") != std::string::npos);
        CPPUNIT_ASSERT(checkSecret(record(RPORT_SECRET_HASHED, "plain"), "plain") ==
                       VerifyResult::Error);
    }

    void testPlainThatLooksLikeAHashIsComparedLiterally() {
        const std::string hash = hashOf("pw");
        CPPUNIT_ASSERT(checkSecret(record(RPORT_SECRET_PLAIN, hash), "pw") ==
                       VerifyResult::Mismatch);
        CPPUNIT_ASSERT(checkSecret(record(RPORT_SECRET_PLAIN, hash), hash) == VerifyResult::Match);
    }

    void testWithheldCannotBeChecked() {
        std::string why;
        CPPUNIT_ASSERT(checkSecret(record(RPORT_SECRET_WITHHELD, ""), "", &why) ==
                       VerifyResult::Error);
        CPPUNIT_ASSERT(why.find("withholds") != std::string::npos);
    }

    void testEmptyStoredSecretNeverMatches() {
        CPPUNIT_ASSERT(checkSecret(record(RPORT_SECRET_PLAIN, ""), "") == VerifyResult::Mismatch);
        CPPUNIT_ASSERT(checkSecret(record(RPORT_SECRET_AUTO, ""), "") == VerifyResult::Mismatch);
    }

    void testUnknownKind() {
        std::string why;
        CPPUNIT_ASSERT(checkSecret(record(42, "pw"), "pw", &why) == VerifyResult::Error);
        CPPUNIT_ASSERT_EQUAL(std::string("unknown secret kind 42"), why);
        CPPUNIT_ASSERT_EQUAL(std::string("unknown id"),
                             std::string(toString(VerifyResult::UnknownId)));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(SecretCheckTest);
