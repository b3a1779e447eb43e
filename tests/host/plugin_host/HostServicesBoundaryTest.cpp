// What a plugin can hand the host table that it should not, and what the
// host's own callbacks may throw: strings with a length but no data are
// refused (or read as empty) without being read, and no exception unwinds
// into the plugin's C frames, from the plugin's config_keys callback or
// from a certificate-change handler that cannot even be copied.
#include <cppunit/extensions/HelperMacros.h>

#include <rport/types.hpp>
#include <stdexcept>

#include "LogCapture.h"
#include "plugin_host/HostServices.h"

using rport::sdk::str;
using namespace rportd::plugin_host;

namespace {

const rport_str kBroken{nullptr, 5};

// A handler std::function can hold (it is copyable in type) but whose
// copy fails, as a copy that runs out of memory would.
struct UncopyableHandler {
    int* calls;
    explicit UncopyableHandler(int* c) : calls(c) {}
    UncopyableHandler(UncopyableHandler&& other) noexcept : calls(other.calls) {}
    UncopyableHandler(const UncopyableHandler&) : calls(nullptr) {
        throw std::runtime_error("copying the handler failed");
    }
    UncopyableHandler& operator=(const UncopyableHandler&) = delete;
    void operator()() const { ++*calls; }
};

}  // namespace

class HostServicesBoundaryTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(HostServicesBoundaryTest);
    CPPUNIT_TEST(testStringsWithoutDataAreRefused);
    CPPUNIT_TEST(testStringsWithoutDataReadAsEmptyWhereNothingCanBeRefused);
    CPPUNIT_TEST(testConfigKeysCallbackThatThrows);
    CPPUNIT_TEST(testCertChangedHandlerThatCannotBeCopied);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override {
        _services = std::make_unique<HostServices>(HostOptions{"/var/lib/rport", 4});
        _context = _services->makeContext(
            InstanceIdentity{"memory", "/p/memory.so", RPORT_KIND_CERT_PROVIDER, "mem"},
            {{"path", "/x"}});
        // A TLS layer that answers everything, so that a refusal below can
        // only come from the malformed string.
        _services->tlsAlpn01Challenges().setListener([](auto&&...) { return true; });
    }
    void tearDown() override {
        _context.reset();
        _services.reset();
    }

    void testStringsWithoutDataAreRefused() {
        const rport_host_v1& api = *_services->table();
        rport_host_ctx* ctx = _context->handle();
        rport_str value{};
        CPPUNIT_ASSERT_EQUAL(RPORT_E_INVALID, api.config_get(ctx, kBroken, &value));
        char buffer[128];
        size_t length = 0;
        CPPUNIT_ASSERT_EQUAL(RPORT_E_INVALID,
                             api.password_hash(kBroken, buffer, sizeof buffer, &length));
        CPPUNIT_ASSERT_EQUAL(RPORT_E_INVALID, api.password_verify(kBroken, str("pw")));
        CPPUNIT_ASSERT_EQUAL(RPORT_E_INVALID, api.password_verify(str("$2b$04$abc"), kBroken));
        CPPUNIT_ASSERT_EQUAL(RPORT_E_INVALID, api.http01_publish(ctx, kBroken, str("t.k")));
        CPPUNIT_ASSERT_EQUAL(RPORT_E_INVALID, api.http01_publish(ctx, str("tok"), kBroken));
        CPPUNIT_ASSERT_EQUAL(RPORT_E_INVALID, api.http01_withdraw(ctx, kBroken));
        CPPUNIT_ASSERT_EQUAL(RPORT_E_INVALID,
                             api.tls_alpn01_publish(ctx, kBroken, str("C"), str("K")));
        CPPUNIT_ASSERT_EQUAL(RPORT_E_INVALID,
                             api.tls_alpn01_publish(ctx, str("a.example"), kBroken, str("K")));
        CPPUNIT_ASSERT_EQUAL(RPORT_E_INVALID,
                             api.tls_alpn01_publish(ctx, str("a.example"), str("C"), kBroken));
        CPPUNIT_ASSERT_EQUAL(RPORT_E_INVALID, api.tls_alpn01_withdraw(ctx, kBroken));
        CPPUNIT_ASSERT_EQUAL(size_t(0), _services->http01Tokens().size());
        CPPUNIT_ASSERT_EQUAL(size_t(0), _services->tlsAlpn01Challenges().size());
        // The same calls with real strings go through.
        CPPUNIT_ASSERT_EQUAL(RPORT_OK, api.config_get(ctx, str("path"), &value));
        CPPUNIT_ASSERT_EQUAL(RPORT_OK,
                             api.tls_alpn01_publish(ctx, str("a.example"), str("C"), str("K")));
    }

    void testStringsWithoutDataReadAsEmptyWhereNothingCanBeRefused() {
        const rport_host_v1& api = *_services->table();
        rport_host_ctx* ctx = _context->handle();
        CPPUNIT_ASSERT_EQUAL(0, api.secret_equal(kBroken, kBroken));
        CPPUNIT_ASSERT_EQUAL(0, api.secret_equal(kBroken, str("")));
        rport::test::LogCapture capture;
        api.log(ctx, RPORT_LOG_WARNING, kBroken);
        CPPUNIT_ASSERT_EQUAL(std::string("cert-provider/mem: "), capture.lines().at(0).text);
        rport_provider_status status{};
        status.struct_size = sizeof status;
        status.name = str("a.example");
        status.state = str("valid");
        status.detail = kBroken;
        api.status_report(ctx, &status);
        CPPUNIT_ASSERT_EQUAL(std::string(), _context->statuses().at(0).detail);
        CPPUNIT_ASSERT_EQUAL(std::string("valid"), _context->statuses().at(0).state);
    }

    void testConfigKeysCallbackThatThrows() {
        rport::test::LogCapture capture;
        int calls = 0;
        _services->table()->config_keys(
            _context->handle(),
            [](void* arg, rport_str) {
                ++*static_cast<int*>(arg);
                throw std::runtime_error("plugin bug");
            },
            &calls);
        CPPUNIT_ASSERT_EQUAL(1, calls);  // stopped at the first throw
        CPPUNIT_ASSERT_EQUAL(
            size_t(1),
            capture.errorsMentioning("the config_keys callback threw an exception").size());
    }

    void testCertChangedHandlerThatCannotBeCopied() {
        int calls = 0;
        _context->setCertChangedHandler(std::function<void()>(UncopyableHandler(&calls)));
        rport::test::LogCapture capture;
        _services->table()->cert_changed(_context->handle());
        CPPUNIT_ASSERT_EQUAL(0, calls);
        CPPUNIT_ASSERT_EQUAL(size_t(1),
                             capture.errorsMentioning("copying the handler failed").size());
        // A handler that can be copied is called again as usual.
        _context->setCertChangedHandler([&calls] { ++calls; });
        _services->table()->cert_changed(_context->handle());
        CPPUNIT_ASSERT_EQUAL(1, calls);
    }

private:
    std::unique_ptr<HostServices> _services;
    std::unique_ptr<InstanceContext> _context;
};

CPPUNIT_TEST_SUITE_REGISTRATION(HostServicesBoundaryTest);
