// The C++ wrapper's boundary: exceptions become a status plus a message, and
// AuthStore's defaults describe a read-only store that cannot list.
#include <cppunit/extensions/HelperMacros.h>

#include <rport/testing.hpp>

#include "TestPlugin.h"

using rport::sdk::AuthRecord;
using rport::sdk::CallResult;
using rport::sdk::testing::FakeHost;

class WrapperErrorTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(WrapperErrorTest);
    CPPUNIT_TEST(testSdkErrorKeepsItsCodeAndMessage);
    CPPUNIT_TEST(testStdExceptionBecomesInternal);
    CPPUNIT_TEST(testUnknownExceptionBecomesInternal);
    CPPUNIT_TEST(testNotFoundWithoutMessage);
    CPPUNIT_TEST(testDefaultsOfAReadOnlyStore);
    CPPUNIT_TEST(testVerifySlotFollowsOffersVerify);
    CPPUNIT_TEST(testCreateFailureCarriesTheMessage);
    CPPUNIT_TEST(testStatusNames);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override {
        _host = std::make_unique<FakeHost>();
        _plugin = _host->attach(&rport_plugin_entry_v1);
        _store = _host->createAuth(_plugin, RPORT_KIND_CLIENT_AUTH, "errors");
    }
    void tearDown() override {
        _store.reset();
        _host.reset();
    }

    void testSdkErrorKeepsItsCodeAndMessage() {
        expect("unavailable", RPORT_E_UNAVAILABLE, "db down");
        expect("invalid", RPORT_E_INVALID, "bad id");
    }
    void testStdExceptionBecomesInternal() { expect("runtime", RPORT_E_INTERNAL, "boom"); }
    void testUnknownExceptionBecomesInternal() {
        expect("weird", RPORT_E_INTERNAL, "unknown exception in plugin");
    }
    // No message from the plugin: the consumer fills in the status name.
    void testNotFoundWithoutMessage() { expect("someone", RPORT_E_NOT_FOUND, "not found"); }

    void testDefaultsOfAReadOnlyStore() {
        rport::sdk::ListPage page;
        CallResult r = _store->list({}, page);
        CPPUNIT_ASSERT_EQUAL(RPORT_E_UNSUPPORTED, r.code);
        CPPUNIT_ASSERT_EQUAL(std::string("this store cannot list its entries"), r.message);
        r = _store->add(AuthRecord{"x", "y", RPORT_SECRET_PLAIN, {}, {}});
        CPPUNIT_ASSERT_EQUAL(RPORT_E_READ_ONLY, r.code);
        CPPUNIT_ASSERT_EQUAL(std::string("this store is read-only"), r.message);
        CPPUNIT_ASSERT_EQUAL(RPORT_E_READ_ONLY, _store->remove("x").code);
        CPPUNIT_ASSERT(!_store->writable());
    }

    void testVerifySlotFollowsOffersVerify() {
        CPPUNIT_ASSERT(!_store->offersVerify());
        CPPUNIT_ASSERT_EQUAL(RPORT_E_UNSUPPORTED, _store->verify("a", "b").code);
        _host->settings["count"] = "3";
        auto pages = _host->createAuth(_plugin, RPORT_KIND_CLIENT_AUTH, "pages");
        CPPUNIT_ASSERT(pages->offersVerify());
        CPPUNIT_ASSERT(pages->verify("id-002", "pw-2").ok());
        CPPUNIT_ASSERT_EQUAL(RPORT_E_DENIED, pages->verify("id-002", "pw-1").code);
        CPPUNIT_ASSERT_EQUAL(RPORT_E_NOT_FOUND, pages->verify("id-009", "pw-9").code);
    }

    void testCreateFailureCarriesTheMessage() {
        try {
            _host->createAuth(_plugin, RPORT_KIND_CLIENT_AUTH, "pages");  // "count" is not set
            CPPUNIT_FAIL("create should have failed");
        } catch (const rport::sdk::Error& e) {
            CPPUNIT_ASSERT_EQUAL(RPORT_E_INVALID, e.code());
            CPPUNIT_ASSERT_EQUAL(std::string("create failed: missing setting 'count'"),
                                 std::string(e.what()));
        }
    }

    void testStatusNames() {
        const char* expected[] = {"ok",        "not found",   "already exists",
                                  "read-only", "invalid",     "unavailable",
                                  "denied",    "unsupported", "internal error"};
        for (int32_t code = RPORT_OK; code <= RPORT_E_INTERNAL; ++code)
            CPPUNIT_ASSERT_EQUAL(std::string(expected[code]),
                                 std::string(rport::sdk::statusName(code)));
        CPPUNIT_ASSERT_EQUAL(std::string("unknown status"),
                             std::string(rport::sdk::statusName(99)));
        CPPUNIT_ASSERT_EQUAL(std::string("unknown status"),
                             std::string(rport::sdk::statusName(-1)));
    }

private:
    void expect(const std::string& id, int32_t code, const std::string& message) {
        std::optional<AuthRecord> record;
        CallResult r = _store->get(id, record);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(id, code, r.code);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(id, message, r.message);
        CPPUNIT_ASSERT(!record);
    }

    std::unique_ptr<FakeHost> _host;
    rport::sdk::testing::LoadedPlugin _plugin;
    std::unique_ptr<rport::sdk::AuthClient> _store;
};

CPPUNIT_TEST_SUITE_REGISTRATION(WrapperErrorTest);
