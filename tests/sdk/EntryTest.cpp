// What RPORT_PLUGIN produces: the entry function's version checks and the
// descriptor it hands out.
#include <cppunit/extensions/HelperMacros.h>

#include <cstddef>
#include <cstring>
#include <rport/consumer.hpp>
#include <rport/testing.hpp>

#include "TestPlugin.h"

using rport::sdk::testing::FakeHost;

class EntryTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(EntryTest);
    CPPUNIT_TEST(testDescriptor);
    CPPUNIT_TEST(testBackends);
    CPPUNIT_TEST(testNullArguments);
    CPPUNIT_TEST(testOtherMajorRefused);
    CPPUNIT_TEST(testHostTableTooShortRefused);
    CPPUNIT_TEST_SUITE_END();

public:
    void testDescriptor() {
        FakeHost host;
        const rport_plugin_v1* d = nullptr;
        CPPUNIT_ASSERT_EQUAL(RPORT_OK, rport_plugin_entry_v1(host.api(), &d));
        CPPUNIT_ASSERT(d);
        CPPUNIT_ASSERT_EQUAL(uint32_t(sizeof(rport_plugin_v1)), d->struct_size);
        CPPUNIT_ASSERT_EQUAL(uint32_t(RPORT_ABI_MAJOR), d->abi_major);
        CPPUNIT_ASSERT_EQUAL(uint32_t(RPORT_ABI_MINOR), d->abi_minor);
        CPPUNIT_ASSERT_EQUAL(std::string("sdk-test"), std::string(d->name));
        CPPUNIT_ASSERT_EQUAL(std::string("0.0.1"), std::string(d->version));
        CPPUNIT_ASSERT_EQUAL(size_t(5), d->backend_count);
    }

    void testBackends() {
        FakeHost host;
        const rport_plugin_v1* d = host.attach(&rport_plugin_entry_v1).descriptor;
        for (size_t i = 0; i < d->backend_count; ++i) {
            CPPUNIT_ASSERT_EQUAL(uint32_t(sizeof(rport_backend_v1)), d->backends[i].struct_size);
            CPPUNIT_ASSERT_EQUAL(uint32_t(1), d->backends[i].vtable_version);
        }
        const rport_backend_v1* pages = rport::sdk::findBackend(d, RPORT_KIND_CLIENT_AUTH, "pages");
        CPPUNIT_ASSERT(pages);
        CPPUNIT_ASSERT_EQUAL(RPORT_BACKEND_THREADSAFE, pages->flags);
        const auto* auth = static_cast<const rport_auth_v1*>(pages->vtable);
        CPPUNIT_ASSERT_EQUAL(uint32_t(sizeof(rport_auth_v1)), auth->struct_size);
        CPPUNIT_ASSERT(RPORT_HAS(auth, rport_auth_v1, verify));
        const rport_backend_v1* errors =
            rport::sdk::findBackend(d, RPORT_KIND_CLIENT_AUTH, "errors");
        CPPUNIT_ASSERT(
            !RPORT_HAS(static_cast<const rport_auth_v1*>(errors->vtable), rport_auth_v1, verify));
        const rport_backend_v1* fixed =
            rport::sdk::findBackend(d, RPORT_KIND_CERT_PROVIDER, "fixed");
        CPPUNIT_ASSERT(
            RPORT_HAS(static_cast<const rport_cert_v1*>(fixed->vtable), rport_cert_v1, renew_now));
        CPPUNIT_ASSERT(!rport::sdk::findBackend(d, RPORT_KIND_API_AUTH, "pages"));
    }

    void testNullArguments() {
        FakeHost host;
        const rport_plugin_v1* d = nullptr;
        CPPUNIT_ASSERT_EQUAL(RPORT_E_INVALID, rport_plugin_entry_v1(nullptr, &d));
        CPPUNIT_ASSERT_EQUAL(RPORT_E_INVALID, rport_plugin_entry_v1(host.api(), nullptr));
    }

    void testOtherMajorRefused() {
        FakeHost host;
        rport_host_v1 table;
        std::memcpy(&table, host.api(), sizeof table);
        table.abi_major = 2;
        const rport_plugin_v1* d = nullptr;
        CPPUNIT_ASSERT_EQUAL(RPORT_E_UNSUPPORTED, rport_plugin_entry_v1(&table, &d));
    }

    void testHostTableTooShortRefused() {
        // A host whose table ends before timer_cancel cannot run this plugin.
        FakeHost host;
        rport_host_v1 table;
        std::memcpy(&table, host.api(), sizeof table);
        table.struct_size = offsetof(rport_host_v1, timer_cancel);
        const rport_plugin_v1* d = nullptr;
        CPPUNIT_ASSERT_EQUAL(RPORT_E_UNSUPPORTED, rport_plugin_entry_v1(&table, &d));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(EntryTest);
