// rport::sdk::SecretString (rport/secret.hpp): every block that held secret
// text is zero by the time it is freed, whichever way the string lets go of
// it. The instrumented allocator looks at each block as it is freed.
#include <cppunit/extensions/HelperMacros.h>

#include <rport/secret.hpp>
#include <rport/types.hpp>
#include <string>
#include <type_traits>
#include <utility>

#include "InstrumentedAllocator.h"

using rport::sdk::SecretString;
using rport::test::FreeWatch;

namespace {

const std::string kKey =
    "-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg\n-----END "
    "PRIVATE KEY-----\n";

}  // namespace

class SecretStringTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(SecretStringTest);
    CPPUNIT_TEST(testHoldsTheText);
    CPPUNIT_TEST(testDestructionWipes);
    CPPUNIT_TEST(testAssignmentWipesWhatItReplaces);
    CPPUNIT_TEST(testClearWipes);
    CPPUNIT_TEST(testGrowingWipesTheOutgrownBlock);
    CPPUNIT_TEST(testMoveHandsTheBlockOver);
    CPPUNIT_TEST(testCopiesAreIndependent);
    CPPUNIT_TEST(testWipeZeroesAndToleratesNothing);
    CPPUNIT_TEST(testCertBundleKeepsItsKeyInOne);
    CPPUNIT_TEST_SUITE_END();

public:
    void testHoldsTheText() {
        SecretString s(kKey);
        CPPUNIT_ASSERT_EQUAL(kKey, std::string(s.view()));
        CPPUNIT_ASSERT_EQUAL(kKey.size(), s.size());
        CPPUNIT_ASSERT_EQUAL(kKey, std::string(s.c_str()));  // NUL-terminated
        SecretString empty;
        CPPUNIT_ASSERT(empty.empty());
        CPPUNIT_ASSERT_EQUAL(std::string(), std::string(empty.c_str()));
        CPPUNIT_ASSERT(SecretString("a") == SecretString(std::string("a")));
        CPPUNIT_ASSERT(SecretString("a") != SecretString("b"));
    }

    void testDestructionWipes() {
        auto* s = new SecretString(kKey);
        FreeWatch watch(s->data(), s->size());
        delete s;
        CPPUNIT_ASSERT(watch.freed());
        CPPUNIT_ASSERT(watch.freedWiped());
    }

    void testAssignmentWipesWhatItReplaces() {
        SecretString s(kKey);
        {
            FreeWatch watch(s.data(), s.size());
            s = SecretString("another key");
            CPPUNIT_ASSERT(watch.freedWiped());
        }
        {
            FreeWatch watch(s.data(), s.size());
            const SecretString third("a third key");
            s = third;  // copy assignment
            CPPUNIT_ASSERT(watch.freedWiped());
        }
        CPPUNIT_ASSERT_EQUAL(std::string("a third key"), std::string(s.view()));
    }

    void testClearWipes() {
        SecretString s(kKey);
        FreeWatch watch(s.data(), s.size());
        s.clear();
        CPPUNIT_ASSERT(watch.freedWiped());
        CPPUNIT_ASSERT(s.empty());
    }

    // A key file read in pieces: each larger block replaces the last one,
    // which must not go back to the allocator with the key's first part.
    void testGrowingWipesTheOutgrownBlock() {
        SecretString s(std::string(60, 'k'));
        FreeWatch watch(s.data(), s.size());
        s.append(std::string(100, 'x'));
        CPPUNIT_ASSERT(watch.freedWiped());
        CPPUNIT_ASSERT_EQUAL(std::string(60, 'k') + std::string(100, 'x'), std::string(s.view()));
    }

    void testMoveHandsTheBlockOver() {
        SecretString from(kKey);
        const char* block = from.data();
        FreeWatch watch(block, from.size());
        SecretString to(std::move(from));
        CPPUNIT_ASSERT(to.data() == block);
        CPPUNIT_ASSERT(!watch.freed());
        CPPUNIT_ASSERT(from.empty());  // a moved-from SecretString is empty
        SecretString third;
        third = std::move(to);
        CPPUNIT_ASSERT(third.data() == block);
        CPPUNIT_ASSERT(!watch.freed());
    }

    void testCopiesAreIndependent() {
        SecretString a(kKey);
        SecretString b(a);
        CPPUNIT_ASSERT(a.data() != b.data());
        FreeWatch watch(b.data(), b.size());
        b.clear();
        CPPUNIT_ASSERT(watch.freedWiped());
        CPPUNIT_ASSERT_EQUAL(kKey, std::string(a.view()));
    }

    void testWipeZeroesAndToleratesNothing() {
        char buffer[16] = "secret";
        rport::sdk::wipe(buffer, sizeof buffer);
        for (char c : buffer) CPPUNIT_ASSERT_EQUAL('\0', c);
        rport::sdk::wipe(nullptr, 10);
        rport::sdk::wipe(buffer, 0);
    }

    void testCertBundleKeepsItsKeyInOne() {
        static_assert(std::is_same_v<decltype(rport::sdk::CertBundle::keyPem), SecretString>);
        auto* bundle = new rport::sdk::CertBundle{"CHAIN", kKey, 0, 0};
        FreeWatch watch(bundle->keyPem.data(), bundle->keyPem.size());
        delete bundle;
        CPPUNIT_ASSERT(watch.freedWiped());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(SecretStringTest);
