// No C++ exception crosses the C boundary, even when memory runs out: every
// callback the SDK hands to the other side (the consumer's sink slots, the
// Host facade's config_keys callback, FakeHost's services) catches what its
// copies throw and answers with a status. The instrumented allocator makes
// the one large copy of each case fail; before, std::bad_alloc unwound
// through the C caller.
#include <cppunit/extensions/HelperMacros.h>

#include <rport/plugin.hpp>
#include <rport/testing.hpp>

#include "InstrumentedAllocator.h"

using rport::sdk::CallResult;
using rport::sdk::Collector;
using rport::sdk::Error;
using rport::sdk::str;
using rport::sdk::testing::FakeHost;
using rport::test::AllocationFailure;

namespace {

// Large enough that copying it is the only allocation that fails.
constexpr size_t kLarge = 256 * 1024;
constexpr size_t kFailFrom = kLarge / 2;

const std::string& largeText() {
    static const std::string text(kLarge, 'k');
    return text;
}

// A plugin written in C: it emits one large record or bundle, then says OK.
int32_t emitLargeRecord(void*, rport_str, const rport_sink* out) {
    rport_auth_record r{};
    r.struct_size = sizeof r;
    r.id = str(largeText());
    out->record(out->ctx, &r);
    return RPORT_OK;
}
int32_t emitLargeBundle(void*, const rport_sink* out) {
    rport_cert_bundle b{};
    b.struct_size = sizeof b;
    b.chain_pem = str("CHAIN");
    b.key_pem = str(largeText());
    out->cert(out->ctx, &b);
    return RPORT_OK;
}
void destroyNothing(void*) {}

// A host whose config_keys does not guard against its callback: it only
// returns (and sets returned) if the callback did not throw.
bool configKeysReturned = false;
void unguardedConfigKeys(rport_host_ctx*, void (*each)(void*, rport_str), void* arg) {
    each(arg, str("short"));
    each(arg, str(largeText()));
    configKeysReturned = true;
}

}  // namespace

class ExceptionBoundaryTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(ExceptionBoundaryTest);
    CPPUNIT_TEST(testSinkSlotsSurviveAFailedCopy);
    CPPUNIT_TEST(testClientsTurnAFailedCopyIntoAStatus);
    CPPUNIT_TEST(testSettingKeysCallbackNeverThrowsIntoTheHost);
    CPPUNIT_TEST(testFakeHostServicesAnswerWithAStatus);
    CPPUNIT_TEST_SUITE_END();

public:
    void testSinkSlotsSurviveAFailedCopy() {
        largeText();
        Collector c;
        rport_sink s = c.sink();
        rport_auth_record r{};
        r.struct_size = sizeof r;
        r.id = str(largeText());
        rport_cert_bundle b{};
        b.struct_size = sizeof b;
        b.chain_pem = str("CHAIN");
        b.key_pem = str(largeText());
        {
            AllocationFailure failing(kFailFrom);
            CPPUNIT_ASSERT_EQUAL(1, s.record(s.ctx, &r));  // stop: the call fails anyway
            s.cert(s.ctx, &b);
            s.error(s.ctx, str(largeText()));
            CPPUNIT_ASSERT_EQUAL(size_t(3), failing.refused());
        }
        CPPUNIT_ASSERT(c.records.empty());
        CPPUNIT_ASSERT(!c.cert);
        CPPUNIT_ASSERT_EQUAL(RPORT_E_INTERNAL, c.failure);
        CPPUNIT_ASSERT_EQUAL(std::string(Collector::kOutOfMemory), std::string(c.failureReason));
    }

    void testClientsTurnAFailedCopyIntoAStatus() {
        largeText();
        int instance = 0;
        rport_auth_v1 auth{};
        auth.struct_size = sizeof auth;
        auth.destroy = &destroyNothing;
        auth.get = &emitLargeRecord;
        rport::sdk::AuthClient store(&auth, &instance);
        rport_cert_v1 cert{};
        cert.struct_size = sizeof cert;
        cert.destroy = &destroyNothing;
        cert.current = &emitLargeBundle;
        rport::sdk::CertClient provider(&cert, &instance);

        std::optional<rport::sdk::AuthRecord> record;
        std::optional<rport::sdk::CertBundle> bundle;
        CallResult got, current;
        {
            AllocationFailure failing(kFailFrom);
            got = store.get("x", record);
            current = provider.current(bundle);
            CPPUNIT_ASSERT_EQUAL(size_t(2), failing.refused());
        }
        CPPUNIT_ASSERT_EQUAL(RPORT_E_INTERNAL, got.code);
        CPPUNIT_ASSERT_EQUAL(std::string(Collector::kOutOfMemory), got.message);
        CPPUNIT_ASSERT(!record);
        CPPUNIT_ASSERT_EQUAL(RPORT_E_INTERNAL, current.code);
        CPPUNIT_ASSERT(!bundle);
        // With memory, the same plugin is fine.
        CPPUNIT_ASSERT(store.get("x", record).ok());
        CPPUNIT_ASSERT_EQUAL(kLarge, record->id.size());
        CPPUNIT_ASSERT(provider.current(bundle).ok());
        CPPUNIT_ASSERT_EQUAL(kLarge, bundle->keyPem.size());
    }

    void testSettingKeysCallbackNeverThrowsIntoTheHost() {
        largeText();
        FakeHost fake;
        rport_host_v1 table = *fake.api();
        table.config_keys = &unguardedConfigKeys;
        rport::sdk::Host host(&table, fake.ctx());
        configKeysReturned = false;
        try {
            AllocationFailure failing(kFailFrom);
            host.settingKeys();
            CPPUNIT_FAIL("settingKeys should report the failed copy");
        } catch (const Error& e) {
            CPPUNIT_ASSERT_EQUAL(RPORT_E_INTERNAL, e.code());
        }
        CPPUNIT_ASSERT_MESSAGE("the host's config_keys was unwound", configKeysReturned);
        CPPUNIT_ASSERT_EQUAL(size_t(2), host.settingKeys().size());
    }

    void testFakeHostServicesAnswerWithAStatus() {
        largeText();
        FakeHost fake;
        const rport_host_v1* api = fake.api();
        rport_host_ctx* ctx = fake.ctx();
        rport_str value{};
        char hash[128];
        size_t length = 0;
        AllocationFailure failing(kFailFrom);
        CPPUNIT_ASSERT_EQUAL(RPORT_E_INTERNAL, api->config_get(ctx, str(largeText()), &value));
        CPPUNIT_ASSERT_EQUAL(RPORT_E_INTERNAL,
                             api->http01_publish(ctx, str(largeText()), str("ka")));
        CPPUNIT_ASSERT_EQUAL(RPORT_E_INTERNAL, api->tls_alpn01_publish(ctx, str("a.example"),
                                                                       str("C"), str(largeText())));
        CPPUNIT_ASSERT_EQUAL(RPORT_E_INTERNAL,
                             api->password_hash(str(largeText()), hash, sizeof hash, &length));
        api->log(ctx, RPORT_LOG_INFO, str(largeText()));
        rport_provider_status status{};
        status.struct_size = sizeof status;
        status.detail = str(largeText());
        api->status_report(ctx, &status);
        CPPUNIT_ASSERT(failing.refused() >= 6);
        CPPUNIT_ASSERT(fake.http01Tokens().empty());
        CPPUNIT_ASSERT(fake.logs().empty());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ExceptionBoundaryTest);
