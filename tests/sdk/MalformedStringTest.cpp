// Strings with a length but no data ({NULL, n > 0}, see rport_str in
// plugin.h), both ways through the SDK: the wrapper refuses them in the
// host's calls before the store sees them, the Host facade refuses them in
// the host's answers, the consumer refuses them in what a plugin emits, and
// FakeHost's services refuse them from a plugin. Nothing reads through the
// NULL: before, each of these dereferenced it.
#include <cppunit/extensions/HelperMacros.h>

#include <rport/plugin.hpp>
#include <rport/testing.hpp>

#include "TestPlugin.h"

using rport::sdk::CallResult;
using rport::sdk::Error;
using rport::sdk::Host;
using rport::sdk::str;
using rport::sdk::testing::FakeHost;

namespace {

const rport_str kBroken{nullptr, 5};

// Records what the plugin sent through the sink.
struct Received {
    int records = 0;
    std::string error;
};

rport_sink sinkFor(Received& received) {
    rport_sink s{};
    s.struct_size = sizeof s;
    s.ctx = &received;
    s.record = [](void* ctx, const rport_auth_record*) -> int32_t {
        ++static_cast<Received*>(ctx)->records;
        return 0;
    };
    s.error = [](void* ctx, rport_str m) {
        static_cast<Received*>(ctx)->error.append(rport::sdk::view(m));
    };
    return s;
}

// A plugin (C side) that emits one record or bundle holding a broken string.
int32_t emitBrokenRecord(void*, rport_str, const rport_sink* out) {
    rport_auth_record r{};
    r.struct_size = sizeof r;
    r.id = str("alice");
    r.secret = kBroken;
    out->record(out->ctx, &r);
    return RPORT_OK;
}
int32_t listBrokenRecord(void* self, const rport_list_query*, const rport_sink* out) {
    emitBrokenRecord(self, str(""), out);
    out->total(out->ctx, 1);
    return RPORT_OK;
}
int32_t emitBrokenBundle(void*, const rport_sink* out) {
    rport_cert_bundle b{};
    b.struct_size = sizeof b;
    b.chain_pem = str("CHAIN");
    b.key_pem = kBroken;
    out->cert(out->ctx, &b);
    return RPORT_OK;
}
void destroyNothing(void*) {}

// Host answers a broken host would give.
int32_t brokenConfigGet(rport_host_ctx*, rport_str, rport_str* value) {
    *value = kBroken;
    return RPORT_OK;
}
void brokenConfigKeys(rport_host_ctx*, void (*each)(void*, rport_str), void* arg) {
    each(arg, kBroken);
}
rport_str brokenText(rport_host_ctx*) { return kBroken; }

}  // namespace

class MalformedStringTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(MalformedStringTest);
    CPPUNIT_TEST(testWrapperRefusesThemInCallsFromTheHost);
    CPPUNIT_TEST(testHostFacadeRefusesThemInAnswers);
    CPPUNIT_TEST(testConsumerRefusesThemInResults);
    CPPUNIT_TEST(testFakeHostServicesRefuseThem);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override {
        _host = std::make_unique<FakeHost>();
        _plugin = _host->attach(&rport_plugin_entry_v1);
    }
    void tearDown() override { _host.reset(); }

    void testWrapperRefusesThemInCallsFromTheHost() {
        _host->settings["count"] = "3";
        const auto* vt = static_cast<const rport_auth_v1*>(
            rport::sdk::findBackend(_plugin.descriptor, RPORT_KIND_CLIENT_AUTH, "pages")->vtable);
        Received created;
        rport_sink createSink = sinkFor(created);
        void* self = nullptr;
        CPPUNIT_ASSERT_EQUAL(RPORT_OK, vt->create(_host->ctx(), &createSink, &self));

        Received r;
        rport_sink s = sinkFor(r);
        CPPUNIT_ASSERT_EQUAL(RPORT_E_INVALID, vt->get(self, kBroken, &s));
        CPPUNIT_ASSERT_EQUAL(std::string("the id has a length but no data"), r.error);
        r.error.clear();
        CPPUNIT_ASSERT_EQUAL(RPORT_E_INVALID, vt->remove(self, kBroken, &s));
        CPPUNIT_ASSERT_EQUAL(RPORT_E_INVALID, vt->verify(self, str("id-001"), kBroken, &s));
        CPPUNIT_ASSERT_EQUAL(RPORT_E_INVALID, vt->verify(self, kBroken, str("pw-1"), &s));

        rport_auth_record record{};
        record.struct_size = sizeof record;
        record.id = str("id-009");
        record.secret = kBroken;
        CPPUNIT_ASSERT_EQUAL(RPORT_E_INVALID, vt->add(self, &record, &s));

        rport_str patterns[] = {kBroken};
        rport_id_match condition{sizeof(rport_id_match), RPORT_MATCH_ANY, patterns, 1};
        rport_list_query query{};
        query.struct_size = sizeof query;
        query.conditions = &condition;
        query.condition_count = 1;
        query.limit = 10;
        CPPUNIT_ASSERT_EQUAL(RPORT_E_INVALID, vt->list(self, &query, &s));
        CPPUNIT_ASSERT_EQUAL(0, r.records);

        // None of it reached the store: id-009 was not added, id-001 is there.
        CPPUNIT_ASSERT_EQUAL(RPORT_E_NOT_FOUND, vt->get(self, str("id-009"), &s));
        CPPUNIT_ASSERT_EQUAL(RPORT_OK, vt->get(self, str("id-001"), &s));
        vt->destroy(self);
    }

    void testHostFacadeRefusesThemInAnswers() {
        rport_host_v1 broken = *_host->api();
        broken.config_get = &brokenConfigGet;
        broken.config_keys = &brokenConfigKeys;
        broken.data_dir = &brokenText;
        broken.instance_kind = &brokenText;
        broken.state_dir = &brokenText;
        Host host(&broken, _host->ctx());
        expectError(RPORT_E_INVALID, [&] { host.setting("path"); });
        expectError(RPORT_E_INVALID, [&] { host.settingKeys(); });
        expectError(RPORT_E_INVALID, [&] { host.dataDir(); });
        expectError(RPORT_E_INVALID, [&] { host.kind(); });
        expectError(RPORT_E_UNAVAILABLE, [&] { host.stateDir(); });
    }

    void testConsumerRefusesThemInResults() {
        rport_auth_v1 auth{};
        auth.struct_size = sizeof auth;
        auth.destroy = &destroyNothing;
        auth.get = &emitBrokenRecord;
        auth.list = &listBrokenRecord;
        int instance = 0;
        rport::sdk::AuthClient store(&auth, &instance);
        std::optional<rport::sdk::AuthRecord> record;
        CallResult r = store.get("alice", record);
        CPPUNIT_ASSERT_EQUAL(RPORT_E_INVALID, r.code);
        CPPUNIT_ASSERT_EQUAL(std::string(rport::sdk::detail::SinkState::kMalformed), r.message);
        CPPUNIT_ASSERT(!record);
        rport::sdk::ListPage page;
        CPPUNIT_ASSERT_EQUAL(RPORT_E_INVALID, store.list({}, page).code);
        CPPUNIT_ASSERT(page.records.empty());

        rport_cert_v1 cert{};
        cert.struct_size = sizeof cert;
        cert.destroy = &destroyNothing;
        cert.current = &emitBrokenBundle;
        rport::sdk::CertClient provider(&cert, &instance);
        std::optional<rport::sdk::CertBundle> bundle;
        r = provider.current(bundle);
        CPPUNIT_ASSERT_EQUAL(RPORT_E_INVALID, r.code);
        CPPUNIT_ASSERT(!bundle);
    }

    void testFakeHostServicesRefuseThem() {
        const rport_host_v1* api = _host->api();
        rport_host_ctx* ctx = _host->ctx();
        _host->settings["path"] = "/x";
        rport_str value{};
        CPPUNIT_ASSERT_EQUAL(RPORT_E_INVALID, api->config_get(ctx, kBroken, &value));
        CPPUNIT_ASSERT_EQUAL(0, api->secret_equal(kBroken, kBroken));
        char buffer[128];
        size_t length = 0;
        CPPUNIT_ASSERT_EQUAL(RPORT_E_INVALID,
                             api->password_hash(kBroken, buffer, sizeof buffer, &length));
        CPPUNIT_ASSERT_EQUAL(RPORT_E_INVALID, api->password_verify(kBroken, str("pw")));
        CPPUNIT_ASSERT_EQUAL(RPORT_E_INVALID, api->password_verify(str("$2b$04$x"), kBroken));
        CPPUNIT_ASSERT_EQUAL(RPORT_E_INVALID, api->http01_publish(ctx, kBroken, str("ka")));
        CPPUNIT_ASSERT_EQUAL(RPORT_E_INVALID, api->http01_publish(ctx, str("token"), kBroken));
        CPPUNIT_ASSERT_EQUAL(RPORT_E_INVALID, api->http01_withdraw(ctx, kBroken));
        CPPUNIT_ASSERT_EQUAL(RPORT_E_INVALID,
                             api->tls_alpn01_publish(ctx, str("a.example"), str("C"), kBroken));
        CPPUNIT_ASSERT_EQUAL(RPORT_E_INVALID, api->tls_alpn01_withdraw(ctx, kBroken));
        CPPUNIT_ASSERT(_host->http01Tokens().empty());
        CPPUNIT_ASSERT(_host->tlsAlpn01().empty());
        // Where nothing can be refused, the text reads as empty.
        api->log(ctx, RPORT_LOG_INFO, kBroken);
        CPPUNIT_ASSERT_EQUAL(std::string(), _host->logs().back().text);
        rport_provider_status status{};
        status.struct_size = sizeof status;
        status.name = str("a.example");
        status.detail = kBroken;
        api->status_report(ctx, &status);
        CPPUNIT_ASSERT_EQUAL(std::string(), _host->statusReports().back().detail);
    }

private:
    template <class F>
    static void expectError(int32_t code, F&& f) {
        try {
            f();
            CPPUNIT_FAIL("expected an rport::sdk::Error");
        } catch (const Error& e) {
            CPPUNIT_ASSERT_EQUAL(code, e.code());
        }
    }

    std::unique_ptr<FakeHost> _host;
    rport::sdk::testing::LoadedPlugin _plugin;
};

CPPUNIT_TEST_SUITE_REGISTRATION(MalformedStringTest);
