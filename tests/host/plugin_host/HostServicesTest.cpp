// The rport_host_v1 table as a plugin sees it: called through the C function
// pointers with the rport_host_ctx* of an instance.
#include <cppunit/extensions/HelperMacros.h>

#include <atomic>
#include <chrono>
#include <rport/password.hpp>
#include <rport/types.hpp>
#include <thread>

#include "LogCapture.h"
#include "plugin_host/HostServices.h"
#include "plugin_host/PluginAttribution.h"

using rport::sdk::str;
using rport::sdk::view;
using namespace rportd::plugin_host;

namespace {

std::unique_ptr<InstanceContext> makeContext(HostServices& services, Settings settings = {}) {
    return services.makeContext(
        InstanceIdentity{"memory", "/p/memory.so", RPORT_KIND_CLIENT_AUTH, "mem"},
        std::move(settings));
}

bool eventually(const std::function<bool()>& condition) {
    for (int i = 0; i < 400; ++i) {
        if (condition()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return condition();
}

}  // namespace

class HostServicesTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(HostServicesTest);
    CPPUNIT_TEST(testTableIsComplete);
    CPPUNIT_TEST(testConfigGet);
    CPPUNIT_TEST(testConfigKeysInOrder);
    CPPUNIT_TEST(testDataDirAndKind);
    CPPUNIT_TEST(testNullContextIsHarmless);
    CPPUNIT_TEST(testLogGoesToPluginLoggerWithMappedLevel);
    CPPUNIT_TEST(testLogWithoutContextUsesAttribution);
    CPPUNIT_TEST(testLogNeutralisesControlCharacters);
    CPPUNIT_TEST(testPasswordHashUsesConfiguredCost);
    CPPUNIT_TEST(testPasswordVerifyAcceptsAllBcryptPrefixes);
    CPPUNIT_TEST(testPasswordHashRejectsBadInput);
    CPPUNIT_TEST(testSecretEqual);
    CPPUNIT_TEST(testHttp01PublishAndWithdraw);
    CPPUNIT_TEST(testHttp01RejectsBadTokens);
    CPPUNIT_TEST(testClosingWithdrawsTokens);
    CPPUNIT_TEST(testCertChangedCallsHandler);
    CPPUNIT_TEST(testTimerThroughTable);
    CPPUNIT_TEST(testTimerOfAnotherInstanceCannotBeCancelled);
    CPPUNIT_TEST(testClosedContextRefusesTimers);
    CPPUNIT_TEST(testDestroyingContextCancelsTimers);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override {
        _services = std::make_unique<HostServices>(HostOptions{"/var/lib/rport", 4});
    }
    void tearDown() override { _services.reset(); }

    const rport_host_v1& api() const { return *_services->table(); }

    void testTableIsComplete() {
        const rport_host_v1& t = api();
        CPPUNIT_ASSERT_EQUAL(uint32_t(sizeof(rport_host_v1)), t.struct_size);
        CPPUNIT_ASSERT_EQUAL(uint32_t(RPORT_ABI_MAJOR), t.abi_major);
        CPPUNIT_ASSERT_EQUAL(uint32_t(RPORT_ABI_MINOR), t.abi_minor);
        CPPUNIT_ASSERT(t.log && t.config_get && t.config_keys && t.data_dir && t.instance_kind);
        CPPUNIT_ASSERT(t.secret_equal && t.password_hash && t.password_verify && t.cert_changed);
        CPPUNIT_ASSERT(t.http01_publish && t.http01_withdraw && t.timer_start && t.timer_cancel);
        CPPUNIT_ASSERT(RPORT_HAS(&t, rport_host_v1, timer_cancel));
        CPPUNIT_ASSERT(RPORT_HAS(&t, rport_host_v1, tls_alpn01_publish));
        CPPUNIT_ASSERT(RPORT_HAS(&t, rport_host_v1, tls_alpn01_withdraw));
        CPPUNIT_ASSERT(RPORT_HAS(&t, rport_host_v1, status_report));
        CPPUNIT_ASSERT(RPORT_HAS(&t, rport_host_v1, state_dir));
        CPPUNIT_ASSERT(RPORT_HAS(&t, rport_host_v1, timer_start64));
    }

    void testConfigGet() {
        auto ctx = makeContext(*_services,
                               {{"path", "/etc/creds.json"}, {"path", "/second"}, {"empty", ""}});
        rport_str value{nullptr, 0};
        CPPUNIT_ASSERT_EQUAL(RPORT_OK, api().config_get(ctx->handle(), str("path"), &value));
        CPPUNIT_ASSERT_EQUAL(std::string("/etc/creds.json"), std::string(view(value)));
        // The value is a view into the context: same bytes every time, valid until destroy.
        rport_str again{nullptr, 0};
        api().config_get(ctx->handle(), str("path"), &again);
        CPPUNIT_ASSERT(value.ptr == again.ptr);
        CPPUNIT_ASSERT_EQUAL(RPORT_OK, api().config_get(ctx->handle(), str("empty"), &value));
        CPPUNIT_ASSERT_EQUAL(size_t(0), value.len);
        CPPUNIT_ASSERT_EQUAL(RPORT_E_NOT_FOUND,
                             api().config_get(ctx->handle(), str("nope"), &value));
        CPPUNIT_ASSERT_EQUAL(RPORT_E_INVALID,
                             api().config_get(ctx->handle(), str("path"), nullptr));
    }

    void testConfigKeysInOrder() {
        auto ctx = makeContext(*_services, {{"zeta", "1"}, {"alpha", "2"}, {"mid", "3"}});
        std::vector<std::string> keys;
        api().config_keys(
            ctx->handle(),
            [](void* arg, rport_str key) {
                static_cast<std::vector<std::string>*>(arg)->emplace_back(view(key));
            },
            &keys);
        CPPUNIT_ASSERT(keys == (std::vector<std::string>{"zeta", "alpha", "mid"}));
        api().config_keys(ctx->handle(), nullptr, nullptr);  // no callback: nothing happens
    }

    void testDataDirAndKind() {
        auto ctx = makeContext(*_services);
        CPPUNIT_ASSERT_EQUAL(std::string("/var/lib/rport"),
                             std::string(view(api().data_dir(ctx->handle()))));
        CPPUNIT_ASSERT_EQUAL(std::string("client-auth"),
                             std::string(view(api().instance_kind(ctx->handle()))));
        auto cert = _services->makeContext(
            InstanceIdentity{"acme", "/p/acme.so", RPORT_KIND_CERT_PROVIDER, "acme"}, {});
        CPPUNIT_ASSERT_EQUAL(std::string("cert-provider"),
                             std::string(view(api().instance_kind(cert->handle()))));
    }

    void testNullContextIsHarmless() {
        rport_str value{nullptr, 0};
        uint64_t id = 0;
        CPPUNIT_ASSERT_EQUAL(RPORT_E_NOT_FOUND, api().config_get(nullptr, str("x"), &value));
        CPPUNIT_ASSERT_EQUAL(size_t(0), api().data_dir(nullptr).len);
        CPPUNIT_ASSERT_EQUAL(size_t(0), api().instance_kind(nullptr).len);
        api().cert_changed(nullptr);
        CPPUNIT_ASSERT_EQUAL(RPORT_E_INVALID,
                             api().http01_publish(nullptr, str("tok"), str("tok.x")));
        CPPUNIT_ASSERT_EQUAL(RPORT_E_INVALID, api().timer_start(
                                                  nullptr, 1, 0, [](void*) {}, nullptr, &id));
        CPPUNIT_ASSERT_EQUAL(RPORT_E_INVALID, api().timer_cancel(nullptr, 1));
    }

    void testLogGoesToPluginLoggerWithMappedLevel() {
        rport::test::LogCapture capture;
        auto ctx = makeContext(*_services);
        api().log(ctx->handle(), RPORT_LOG_ERROR, str("e"));
        api().log(ctx->handle(), RPORT_LOG_WARNING, str("w"));
        api().log(ctx->handle(), RPORT_LOG_INFO, str("i"));
        api().log(ctx->handle(), RPORT_LOG_DEBUG, str("d"));
        api().log(ctx->handle(), 77, str("odd level"));
        auto lines = capture.lines();
        CPPUNIT_ASSERT_EQUAL(size_t(5), lines.size());
        for (const auto& line : lines)
            CPPUNIT_ASSERT_EQUAL(std::string("plugin.memory"), line.source);
        CPPUNIT_ASSERT_EQUAL(std::string("client-auth/mem: e"), lines[0].text);
        CPPUNIT_ASSERT_EQUAL(Poco::Message::PRIO_ERROR, lines[0].priority);
        CPPUNIT_ASSERT_EQUAL(Poco::Message::PRIO_WARNING, lines[1].priority);
        CPPUNIT_ASSERT_EQUAL(Poco::Message::PRIO_INFORMATION, lines[2].priority);
        CPPUNIT_ASSERT_EQUAL(Poco::Message::PRIO_DEBUG, lines[3].priority);
        CPPUNIT_ASSERT_EQUAL(Poco::Message::PRIO_DEBUG, lines[4].priority);
    }

    void testLogWithoutContextUsesAttribution() {
        rport::test::LogCapture capture;
        api().log(nullptr, RPORT_LOG_INFO, str("nobody"));
        {
            const std::string name = "entering-one";
            PluginAttribution attribution(name);
            api().log(nullptr, RPORT_LOG_INFO, str("during entry"));
        }
        auto lines = capture.lines();
        CPPUNIT_ASSERT_EQUAL(size_t(2), lines.size());
        CPPUNIT_ASSERT_EQUAL(std::string("plugins"), lines[0].source);
        CPPUNIT_ASSERT_EQUAL(std::string("plugin.entering-one"), lines[1].source);
        CPPUNIT_ASSERT_EQUAL(std::string("during entry"), lines[1].text);
        CPPUNIT_ASSERT(PluginAttribution::current() == nullptr);
    }

    void testLogNeutralisesControlCharacters() {
        rport::test::LogCapture capture;
        auto ctx = makeContext(*_services);
        api().log(ctx->handle(), RPORT_LOG_ERROR, str("line one\nFAKE line two\r"));
        CPPUNIT_ASSERT_EQUAL(std::string("client-auth/mem: line one FAKE line two "),
                             capture.lines().at(0).text);
    }

    void testPasswordHashUsesConfiguredCost() {
        char buf[128];
        size_t len = 0;
        CPPUNIT_ASSERT_EQUAL(RPORT_OK, api().password_hash(str("hunter2"), buf, sizeof buf, &len));
        const std::string hash(buf, len);
        CPPUNIT_ASSERT_EQUAL(std::string("$2b$04$"), hash.substr(0, 7));
        CPPUNIT_ASSERT_EQUAL(len, std::strlen(buf));
        CPPUNIT_ASSERT_EQUAL(RPORT_OK, api().password_verify(str(hash), str("hunter2")));
        CPPUNIT_ASSERT_EQUAL(RPORT_E_DENIED, api().password_verify(str(hash), str("hunter3")));

        HostServices::setBcryptCost(5);
        CPPUNIT_ASSERT_EQUAL(RPORT_OK, api().password_hash(str("x"), buf, sizeof buf, &len));
        CPPUNIT_ASSERT_EQUAL(std::string("$2b$05$"), std::string(buf, 7));
        HostServices::setBcryptCost(4);
    }

    void testPasswordVerifyAcceptsAllBcryptPrefixes() {
        // For ASCII passwords the 2a/2b/2y variants compute the same hash,
        // which is how hashes made by PHP ($2y$) or old tools ($2a$) verify.
        const std::string hash = *rport::sdk::password::hashBcrypt("s3cret", 4);
        for (const char* prefix : {"$2a$", "$2b$", "$2y$"}) {
            const std::string variant = prefix + hash.substr(4);
            CPPUNIT_ASSERT_EQUAL(RPORT_OK, api().password_verify(str(variant), str("s3cret")));
            CPPUNIT_ASSERT_EQUAL(RPORT_E_DENIED,
                                 api().password_verify(str(variant), str("S3cret")));
        }
        CPPUNIT_ASSERT_EQUAL(RPORT_E_INVALID, api().password_verify(str("s3cret"), str("s3cret")));
        CPPUNIT_ASSERT_EQUAL(RPORT_E_INVALID, api().password_verify(str("$6$salt$abc"), str("x")));
        CPPUNIT_ASSERT_EQUAL(RPORT_E_INVALID, api().password_verify(str("$2y$04$short"), str("x")));
    }

    void testPasswordHashRejectsBadInput() {
        char small[20];
        char buf[128];
        size_t len = 0;
        CPPUNIT_ASSERT_EQUAL(RPORT_E_INVALID,
                             api().password_hash(str("pw"), small, sizeof small, &len));
        CPPUNIT_ASSERT_EQUAL(RPORT_E_INVALID, api().password_hash(str(std::string_view("a\0b", 3)),
                                                                  buf, sizeof buf, &len));
        CPPUNIT_ASSERT_EQUAL(RPORT_E_INVALID, api().password_hash(str("pw"), nullptr, 0, &len));
        CPPUNIT_ASSERT_EQUAL(RPORT_E_INVALID,
                             api().password_hash(str("pw"), buf, sizeof buf, nullptr));
    }

    void testSecretEqual() {
        CPPUNIT_ASSERT_EQUAL(1, api().secret_equal(str("abc"), str("abc")));
        CPPUNIT_ASSERT_EQUAL(0, api().secret_equal(str("abc"), str("abd")));
        CPPUNIT_ASSERT_EQUAL(0, api().secret_equal(str("abc"), str("abcd")));
        CPPUNIT_ASSERT_EQUAL(0, api().secret_equal(str("abc"), str("")));
        CPPUNIT_ASSERT_EQUAL(1, api().secret_equal(rport_str{nullptr, 0}, str("")));
    }

    void testHttp01PublishAndWithdraw() {
        auto ctx = makeContext(*_services);
        Http01Tokens& tokens = _services->http01Tokens();
        CPPUNIT_ASSERT_EQUAL(
            RPORT_OK, api().http01_publish(ctx->handle(), str("tok-EN_1"), str("tok-EN_1.thumb")));
        CPPUNIT_ASSERT_EQUAL(std::string("tok-EN_1.thumb"), tokens.find("tok-EN_1").value_or(""));
        CPPUNIT_ASSERT_EQUAL(RPORT_OK, api().http01_withdraw(ctx->handle(), str("tok-EN_1")));
        CPPUNIT_ASSERT(!tokens.find("tok-EN_1"));
        CPPUNIT_ASSERT_EQUAL(RPORT_E_NOT_FOUND,
                             api().http01_withdraw(ctx->handle(), str("tok-EN_1")));
    }

    void testHttp01RejectsBadTokens() {
        auto ctx = makeContext(*_services);
        for (const std::string bad :
             {"", "../etc/passwd", "a b", "tok/x", "tok.dot", "tok\n", "t%41", "t=="})
            CPPUNIT_ASSERT_EQUAL_MESSAGE(bad, RPORT_E_INVALID,
                                         api().http01_publish(ctx->handle(), str(bad), str("x.y")));
        CPPUNIT_ASSERT_EQUAL(
            RPORT_E_INVALID,
            api().http01_publish(ctx->handle(), str(std::string(257, 'a')), str("x")));
        CPPUNIT_ASSERT_EQUAL(
            RPORT_OK, api().http01_publish(ctx->handle(), str(std::string(256, 'a')), str("x")));
        CPPUNIT_ASSERT_EQUAL(RPORT_E_INVALID,
                             api().http01_publish(ctx->handle(), str("good"), str("bad auth")));
        CPPUNIT_ASSERT_EQUAL(RPORT_E_INVALID,
                             api().http01_publish(ctx->handle(), str("good"), str("")));
        CPPUNIT_ASSERT_EQUAL(RPORT_E_INVALID, api().http01_withdraw(ctx->handle(), str("../x")));
        CPPUNIT_ASSERT_EQUAL(size_t(1), _services->http01Tokens().size());
    }

    void testClosingWithdrawsTokens() {
        auto a = makeContext(*_services);
        auto b = makeContext(*_services);
        api().http01_publish(a->handle(), str("fromA"), str("fromA.t"));
        api().http01_publish(b->handle(), str("fromB"), str("fromB.t"));
        a->close();
        CPPUNIT_ASSERT(!_services->http01Tokens().find("fromA"));
        CPPUNIT_ASSERT(_services->http01Tokens().find("fromB"));
        CPPUNIT_ASSERT_EQUAL(RPORT_E_UNAVAILABLE,
                             api().http01_publish(a->handle(), str("late"), str("late.t")));
    }

    void testCertChangedCallsHandler() {
        auto ctx = makeContext(*_services);
        int calls = 0;
        api().cert_changed(ctx->handle());  // no handler yet: dropped
        ctx->setCertChangedHandler([&] { ++calls; });
        api().cert_changed(ctx->handle());
        api().cert_changed(ctx->handle());
        CPPUNIT_ASSERT_EQUAL(2, calls);
        // A handler that throws must not unwind into the plugin.
        rport::test::LogCapture capture;
        ctx->setCertChangedHandler([] { throw std::runtime_error("swap failed"); });
        api().cert_changed(ctx->handle());
        CPPUNIT_ASSERT_EQUAL(size_t(1), capture.errorsMentioning("swap failed").size());
        ctx->setCertChangedHandler(nullptr);
        api().cert_changed(ctx->handle());
        CPPUNIT_ASSERT_EQUAL(2, calls);
    }

    void testTimerThroughTable() {
        auto ctx = makeContext(*_services);
        std::atomic<int> fired{0};
        uint64_t id = 0;
        CPPUNIT_ASSERT_EQUAL(
            RPORT_OK, api().timer_start(
                          ctx->handle(), 1, 0,
                          [](void* arg) { ++*static_cast<std::atomic<int>*>(arg); }, &fired, &id));
        CPPUNIT_ASSERT(id != 0);
        CPPUNIT_ASSERT(eventually([&] { return fired.load() == 1; }));
        // A one-shot timer is gone once it fired.
        CPPUNIT_ASSERT(eventually([&] { return _services->timers().pending() == 0; }));
        CPPUNIT_ASSERT_EQUAL(RPORT_E_NOT_FOUND, api().timer_cancel(ctx->handle(), id));
        CPPUNIT_ASSERT_EQUAL(RPORT_E_INVALID,
                             api().timer_start(ctx->handle(), 1, 0, nullptr, nullptr, &id));
        CPPUNIT_ASSERT_EQUAL(RPORT_E_INVALID,
                             api().timer_start(
                                 ctx->handle(), 1, 0, [](void*) {}, nullptr, nullptr));
    }

    void testTimerOfAnotherInstanceCannotBeCancelled() {
        auto a = makeContext(*_services);
        auto b = makeContext(*_services);
        uint64_t id = 0;
        api().timer_start(
            a->handle(), 60000, 0, [](void*) {}, nullptr, &id);
        CPPUNIT_ASSERT_EQUAL(RPORT_E_NOT_FOUND, api().timer_cancel(b->handle(), id));
        CPPUNIT_ASSERT_EQUAL(RPORT_OK, api().timer_cancel(a->handle(), id));
    }

    void testClosedContextRefusesTimers() {
        auto ctx = makeContext(*_services);
        ctx->close();
        uint64_t id = 0;
        CPPUNIT_ASSERT_EQUAL(RPORT_E_UNAVAILABLE,
                             api().timer_start(
                                 ctx->handle(), 1, 0, [](void*) {}, nullptr, &id));
    }

    void testDestroyingContextCancelsTimers() {
        std::atomic<int> fired{0};
        {
            auto ctx = makeContext(*_services);
            uint64_t id = 0;
            api().timer_start(
                ctx->handle(), 0, 2, [](void* arg) { ++*static_cast<std::atomic<int>*>(arg); },
                &fired, &id);
            CPPUNIT_ASSERT(eventually([&] { return fired.load() >= 2; }));
        }
        const int after = fired.load();
        std::this_thread::sleep_for(std::chrono::milliseconds(30));
        CPPUNIT_ASSERT_EQUAL(after, fired.load());
        CPPUNIT_ASSERT_EQUAL(size_t(0), _services->timers().pending());
    }

private:
    std::unique_ptr<HostServices> _services;
};

CPPUNIT_TEST_SUITE_REGISTRATION(HostServicesTest);
