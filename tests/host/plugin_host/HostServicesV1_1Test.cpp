// The ABI 1.1 host services as a plugin sees them, called through the table
// with the rport_host_ctx* of an instance: TLS-ALPN-01 challenges, status
// reports, the state directory, 64-bit timers; and the 1.0 table a host hands
// out when it offers only 1.0.
#include <cppunit/extensions/HelperMacros.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <rport/types.hpp>
#include <thread>

#include "LogCapture.h"
#include "TempDir.h"
#include "plugin_host/HostServices.h"

using rport::sdk::str;
using rport::sdk::view;
using rport::test::TempDir;
using namespace rportd::plugin_host;

namespace {

const std::string kCert = "-----BEGIN CERTIFICATE-----\nchallenge\n-----END CERTIFICATE-----\n";
const std::string kKey = "-----BEGIN PRIVATE KEY-----\nk\n-----END PRIVATE KEY-----\n";

bool eventually(const std::function<bool()>& condition) {
    for (int i = 0; i < 400; ++i) {
        if (condition()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return condition();
}

// The strings are borrowed: pass literals or strings that outlive the report.
rport_provider_status status(std::string_view name, std::string_view state) {
    rport_provider_status s{};
    s.struct_size = sizeof s;
    s.name = str(name);
    s.state = str(state);
    return s;
}

void countUp(void* arg) { ++*static_cast<std::atomic<int>*>(arg); }

}  // namespace

class HostServicesV1_1Test : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(HostServicesV1_1Test);
    CPPUNIT_TEST(testOfferedMinorChoosesTheTable);
    CPPUNIT_TEST(testTlsAlpn01RefusedWithoutTlsListener);
    CPPUNIT_TEST(testTlsAlpn01RefusedWhenTheTlsLayerCannotAnswer);
    CPPUNIT_TEST(testTlsAlpn01PublishReplaceWithdraw);
    CPPUNIT_TEST(testTlsAlpn01RejectsBadInput);
    CPPUNIT_TEST(testTlsAlpn01OfAnotherInstanceCannotBeWithdrawn);
    CPPUNIT_TEST(testClosingWithdrawsTlsAlpn01AndRefusesNew);
    CPPUNIT_TEST(testStatusReportKeepsTheLatestPerName);
    CPPUNIT_TEST(testStatusReportCopiesAndBoundsTheText);
    CPPUNIT_TEST(testStatusReportReadsOnlyWhatStructSizeCovers);
    CPPUNIT_TEST(testStatusReportNamesAreBounded);
    CPPUNIT_TEST(testStatusReportIgnoresNull);
    CPPUNIT_TEST(testStateDirIsMadeAtTheFirstCall);
    CPPUNIT_TEST(testStateDirIsSharedByInstancesOfABackend);
    CPPUNIT_TEST(testStateDirFailureIsLoggedAndRetried);
    CPPUNIT_TEST(testTimerStart64Fires);
    CPPUNIT_TEST(testTimerStart64TakesDelaysOfYears);
    CPPUNIT_TEST(testTimerStart64RefusesWhatTimerStartRefuses);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override {
        _services = std::make_unique<HostServices>(HostOptions{_data.path(), 4});
        _challenges.clear();
    }
    void tearDown() override { _services.reset(); }

    void testOfferedMinorChoosesTheTable() {
        const rport_host_v1& full = api();
        CPPUNIT_ASSERT_EQUAL(uint32_t(RPORT_ABI_MINOR), _services->offeredAbiMinor());
        CPPUNIT_ASSERT_EQUAL(uint32_t(sizeof(rport_host_v1)), full.struct_size);

        HostServices old(HostOptions{_data.path(), 4, 0});
        const rport_host_v1& t = *old.table();
        CPPUNIT_ASSERT_EQUAL(uint32_t(0), old.offeredAbiMinor());
        CPPUNIT_ASSERT_EQUAL(uint32_t(offsetof(rport_host_v1, tls_alpn01_publish)), t.struct_size);
        CPPUNIT_ASSERT_EQUAL(uint32_t(RPORT_ABI_MAJOR), t.abi_major);
        CPPUNIT_ASSERT_EQUAL(uint32_t(0), t.abi_minor);
        // Every 1.0 slot, the same services as in the full table...
        CPPUNIT_ASSERT(t.log == full.log && t.config_get == full.config_get &&
                       t.config_keys == full.config_keys && t.data_dir == full.data_dir &&
                       t.instance_kind == full.instance_kind);
        CPPUNIT_ASSERT(t.secret_equal == full.secret_equal &&
                       t.password_hash == full.password_hash &&
                       t.password_verify == full.password_verify &&
                       t.cert_changed == full.cert_changed);
        CPPUNIT_ASSERT(t.http01_publish == full.http01_publish &&
                       t.http01_withdraw == full.http01_withdraw &&
                       t.timer_start == full.timer_start && t.timer_cancel == full.timer_cancel);
        CPPUNIT_ASSERT(RPORT_HAS(&t, rport_host_v1, timer_cancel));
        // ...and no 1.1 slot, neither by struct_size nor by pointer.
        CPPUNIT_ASSERT(!RPORT_HAS(&t, rport_host_v1, tls_alpn01_publish));
        CPPUNIT_ASSERT(!RPORT_HAS(&t, rport_host_v1, tls_alpn01_withdraw));
        CPPUNIT_ASSERT(!RPORT_HAS(&t, rport_host_v1, status_report));
        CPPUNIT_ASSERT(!RPORT_HAS(&t, rport_host_v1, state_dir));
        CPPUNIT_ASSERT(!RPORT_HAS(&t, rport_host_v1, timer_start64));
        CPPUNIT_ASSERT(!t.tls_alpn01_publish && !t.status_report && !t.timer_start64);

        HostServices future(HostOptions{_data.path(), 4, RPORT_ABI_MINOR + 5});
        CPPUNIT_ASSERT_EQUAL(uint32_t(RPORT_ABI_MINOR), future.offeredAbiMinor());
        CPPUNIT_ASSERT(future.table() == &full);
    }

    void testTlsAlpn01RefusedWithoutTlsListener() {
        auto ctx = makeContext();
        CPPUNIT_ASSERT_EQUAL(RPORT_E_UNSUPPORTED, api().tls_alpn01_publish(ctx->handle(),
                                                                         str("example.com"),
                                                                         str(kCert), str(kKey)));
        CPPUNIT_ASSERT_EQUAL(size_t(0), _services->tlsAlpn01Challenges().size());
    }

    // A TLS layer that cannot answer (here: it refuses every pair) makes the
    // publish fail the same way as no TLS layer at all, so that the plugin
    // picks another challenge instead of asking the CA to validate nothing.
    void testTlsAlpn01RefusedWhenTheTlsLayerCannotAnswer() {
        _services->tlsAlpn01Challenges().setListener(
            [](const std::string&, const std::string* cert, const rport::sdk::SecretString*) {
                return !cert;
            });
        auto ctx = makeContext();
        CPPUNIT_ASSERT_EQUAL(RPORT_E_UNSUPPORTED, api().tls_alpn01_publish(ctx->handle(),
                                                                         str("example.com"),
                                                                         str(kCert), str(kKey)));
        CPPUNIT_ASSERT_EQUAL(size_t(0), _services->tlsAlpn01Challenges().size());
    }

    void testTlsAlpn01PublishReplaceWithdraw() {
        listen();
        auto ctx = makeContext();
        CPPUNIT_ASSERT_EQUAL(RPORT_OK, api().tls_alpn01_publish(ctx->handle(), str("WWW.Example.com"),
                                                               str(kCert), str(kKey)));
        auto pair = _services->tlsAlpn01Challenges().find("www.example.com");
        CPPUNIT_ASSERT(pair && pair->first == kCert && pair->second == kKey);
        CPPUNIT_ASSERT_EQUAL(RPORT_OK, api().tls_alpn01_publish(ctx->handle(), str("www.example.com"),
                                                               str("new cert"), str("new key")));
        CPPUNIT_ASSERT_EQUAL(std::string("new cert"),
                             _services->tlsAlpn01Challenges().find("www.example.com")->first);
        CPPUNIT_ASSERT_EQUAL(size_t(1), _services->tlsAlpn01Challenges().size());
        CPPUNIT_ASSERT_EQUAL(RPORT_OK,
                             api().tls_alpn01_withdraw(ctx->handle(), str("www.EXAMPLE.com")));
        CPPUNIT_ASSERT(!_services->tlsAlpn01Challenges().find("www.example.com"));
        CPPUNIT_ASSERT_EQUAL(RPORT_E_NOT_FOUND,
                             api().tls_alpn01_withdraw(ctx->handle(), str("www.example.com")));
        CPPUNIT_ASSERT((_challenges == std::vector<std::string>{"+www.example.com",
                                                                "+www.example.com",
                                                                "-www.example.com"}));
    }

    void testTlsAlpn01RejectsBadInput() {
        listen();
        auto ctx = makeContext();
        for (const std::string& bad : std::vector<std::string>{"", "*.example.com", "a..b", ".example.com", "example.com.",
                                      "exa mple.com", "example.com/x", "ex_ample.com",
                                      std::string(64, 'a') + ".com", std::string(254, 'a')})
            CPPUNIT_ASSERT_EQUAL_MESSAGE(bad, RPORT_E_INVALID,
                                         api().tls_alpn01_publish(ctx->handle(), str(bad),
                                                                  str(kCert), str(kKey)));
        const std::string big(64 * 1024 + 1, 'c');
        for (const auto& [cert, key] : std::vector<std::pair<std::string, std::string>>{
                 {"", kKey}, {kCert, ""}, {big, kKey}, {kCert, big}})
            CPPUNIT_ASSERT_EQUAL(RPORT_E_INVALID,
                                 api().tls_alpn01_publish(ctx->handle(), str("example.com"),
                                                          str(cert), str(key)));
        CPPUNIT_ASSERT_EQUAL(RPORT_E_INVALID, api().tls_alpn01_publish(nullptr, str("example.com"),
                                                                       str(kCert), str(kKey)));
        CPPUNIT_ASSERT_EQUAL(RPORT_E_INVALID,
                             api().tls_alpn01_withdraw(ctx->handle(), str("../example.com")));
        CPPUNIT_ASSERT_EQUAL(RPORT_E_INVALID, api().tls_alpn01_withdraw(nullptr, str("example.com")));
        CPPUNIT_ASSERT_EQUAL(size_t(0), _services->tlsAlpn01Challenges().size());
        CPPUNIT_ASSERT(_challenges.empty());
    }

    void testTlsAlpn01OfAnotherInstanceCannotBeWithdrawn() {
        listen();
        auto a = makeContext();
        auto b = makeContext();
        api().tls_alpn01_publish(a->handle(), str("a.example.com"), str(kCert), str(kKey));
        CPPUNIT_ASSERT_EQUAL(RPORT_E_NOT_FOUND,
                             api().tls_alpn01_withdraw(b->handle(), str("a.example.com")));
        CPPUNIT_ASSERT(_services->tlsAlpn01Challenges().find("a.example.com"));
    }

    void testClosingWithdrawsTlsAlpn01AndRefusesNew() {
        listen();
        auto a = makeContext();
        auto b = makeContext();
        api().tls_alpn01_publish(a->handle(), str("a.example.com"), str(kCert), str(kKey));
        api().tls_alpn01_publish(b->handle(), str("b.example.com"), str(kCert), str(kKey));
        a->close();
        CPPUNIT_ASSERT(!_services->tlsAlpn01Challenges().find("a.example.com"));
        CPPUNIT_ASSERT(_services->tlsAlpn01Challenges().find("b.example.com"));
        CPPUNIT_ASSERT_EQUAL(std::string("-a.example.com"), _challenges.back());
        CPPUNIT_ASSERT_EQUAL(RPORT_E_UNAVAILABLE,
                             api().tls_alpn01_publish(a->handle(), str("late.example.com"),
                                                      str(kCert), str(kKey)));
        b.reset();  // destruction closes too
        CPPUNIT_ASSERT_EQUAL(size_t(0), _services->tlsAlpn01Challenges().size());
    }

    void testStatusReportKeepsTheLatestPerName() {
        auto ctx = makeContext();
        rport_provider_status s = status("b.example.com", "issuing");
        s.detail = str("ordering");
        s.last_error = str("rate limited; retrying in 1 h");
        s.last_error_at = 1700000000;
        s.next_attempt = 1700003600;
        s.not_after = 1800000000;
        api().status_report(ctx->handle(), &s);
        rport_provider_status a = status("a.example.com", "valid");
        api().status_report(ctx->handle(), &a);
        rport_provider_status later = status("b.example.com", "valid");
        api().status_report(ctx->handle(), &later);

        const std::vector<rport::sdk::ProviderStatus> statuses = ctx->statuses();
        CPPUNIT_ASSERT_EQUAL(size_t(2), statuses.size());
        CPPUNIT_ASSERT_EQUAL(std::string("a.example.com"), statuses[0].name);  // sorted by name
        CPPUNIT_ASSERT_EQUAL(std::string("b.example.com"), statuses[1].name);
        CPPUNIT_ASSERT_EQUAL(std::string("valid"), statuses[1].state);
        // The latest report replaces the whole entry, fields it left empty included.
        CPPUNIT_ASSERT_EQUAL(std::string(), statuses[1].lastError);
        CPPUNIT_ASSERT_EQUAL(int64_t(0), statuses[1].nextAttempt);
    }

    void testStatusReportCopiesAndBoundsTheText() {
        auto ctx = makeContext();
        std::string detail = "retrying <soon> & \"quoted\"\n";
        // 2047 ASCII bytes, then a two-byte character straddling the 2 KB bound.
        std::string error = std::string(2047, 'e') + "\xc3\xa9" + "tail";
        rport_provider_status s = status("example.com", "retrying");
        s.detail = str(detail);
        s.last_error = str(error);
        s.last_error_at = 1700000000;
        s.next_attempt = 1700000600;
        s.not_after = 1800000000;
        api().status_report(ctx->handle(), &s);
        detail.assign(detail.size(), 'x');  // the plugin reuses its buffers

        const rport::sdk::ProviderStatus got = ctx->statuses().at(0);
        CPPUNIT_ASSERT_EQUAL(std::string("retrying <soon> & \"quoted\"\n"), got.detail);  // raw
        CPPUNIT_ASSERT_EQUAL(std::string(2047, 'e'), got.lastError);  // cut before the character
        CPPUNIT_ASSERT_EQUAL(int64_t(1700000000), got.lastErrorAt);
        CPPUNIT_ASSERT_EQUAL(int64_t(1700000600), got.nextAttempt);
        CPPUNIT_ASSERT_EQUAL(int64_t(1800000000), got.notAfter);

        const std::string tooLong(3000, 'n');
        rport_provider_status longName = status(tooLong, "valid");
        api().status_report(ctx->handle(), &longName);
        CPPUNIT_ASSERT_EQUAL(size_t(2048), ctx->statuses().at(1).name.size());
    }

    void testStatusReportReadsOnlyWhatStructSizeCovers() {
        auto ctx = makeContext();
        rport_provider_status s = status("example.com", "valid");
        s.detail = str("beyond struct_size");
        s.not_after = 99;
        s.struct_size = uint32_t(offsetof(rport_provider_status, detail));
        api().status_report(ctx->handle(), &s);
        const rport::sdk::ProviderStatus got = ctx->statuses().at(0);
        CPPUNIT_ASSERT_EQUAL(std::string("valid"), got.state);
        CPPUNIT_ASSERT_EQUAL(std::string(), got.detail);
        CPPUNIT_ASSERT_EQUAL(int64_t(0), got.notAfter);
    }

    void testStatusReportNamesAreBounded() {
        rport::test::LogCapture log;
        auto ctx = makeContext();
        for (size_t i = 0; i < InstanceContext::kMaxStatusNames + 5; ++i) {
            const std::string name = "n" + std::to_string(i) + ".example.com";
            rport_provider_status s = status(name, "valid");
            api().status_report(ctx->handle(), &s);
        }
        CPPUNIT_ASSERT_EQUAL(InstanceContext::kMaxStatusNames, ctx->statuses().size());
        size_t warnings = 0;
        for (const auto& line : log.lines())
            if (line.text.find("further names ignored") != std::string::npos) ++warnings;
        CPPUNIT_ASSERT_EQUAL(size_t(1), warnings);
        // Names it already has still update.
        rport_provider_status again = status("n0.example.com", "renewing");
        api().status_report(ctx->handle(), &again);
        CPPUNIT_ASSERT_EQUAL(std::string("renewing"), ctx->statuses().at(0).state);
    }

    void testStatusReportIgnoresNull() {
        auto ctx = makeContext();
        rport_provider_status s = status("example.com", "valid");
        api().status_report(nullptr, &s);
        api().status_report(ctx->handle(), nullptr);
        CPPUNIT_ASSERT(ctx->statuses().empty());
    }

    void testStateDirIsMadeAtTheFirstCall() {
        auto ctx = makeContext();
        const std::string expected = _data.file("mem");
        CPPUNIT_ASSERT(::access(expected.c_str(), F_OK) != 0);  // not before the first call
        rport_str dir = api().state_dir(ctx->handle());
        CPPUNIT_ASSERT_EQUAL(expected, std::string(view(dir)));
        struct stat st {};
        CPPUNIT_ASSERT_EQUAL(0, ::lstat(expected.c_str(), &st));
        CPPUNIT_ASSERT(S_ISDIR(st.st_mode));
        CPPUNIT_ASSERT_EQUAL(0700u, unsigned(st.st_mode & 07777));
        // The same bytes every time: valid until destroy.
        CPPUNIT_ASSERT(api().state_dir(ctx->handle()).ptr == dir.ptr);
        CPPUNIT_ASSERT_EQUAL(size_t(0), api().state_dir(nullptr).len);
        CPPUNIT_ASSERT(api().state_dir(nullptr).ptr == nullptr);
    }

    void testStateDirIsSharedByInstancesOfABackend() {
        auto a = makeContext();
        auto b = makeContext();
        auto other = _services->makeContext(
            InstanceIdentity{"acme", "/p/acme.so", RPORT_KIND_CERT_PROVIDER, "acme"}, {});
        CPPUNIT_ASSERT_EQUAL(std::string(view(api().state_dir(a->handle()))),
                             std::string(view(api().state_dir(b->handle()))));
        CPPUNIT_ASSERT_EQUAL(_data.file("acme"), std::string(view(api().state_dir(other->handle()))));
    }

    void testStateDirFailureIsLoggedAndRetried() {
        auto ctx = makeContext();
        const std::string target = _data.file("elsewhere");
        CPPUNIT_ASSERT_EQUAL(0, ::mkdir(target.c_str(), 0700));
        CPPUNIT_ASSERT_EQUAL(0, ::symlink(target.c_str(), _data.file("mem").c_str()));
        {
            rport::test::LogCapture log;
            rport_str dir = api().state_dir(ctx->handle());
            CPPUNIT_ASSERT(dir.ptr == nullptr && dir.len == 0);
            CPPUNIT_ASSERT_EQUAL(size_t(1), log.errorsMentioning("client-auth/mem: no state directory: " +
                                                                 _data.file("mem") +
                                                                 " is a symbolic link")
                                                .size());
        }
        // Once the operator removed the link, the next call succeeds.
        CPPUNIT_ASSERT_EQUAL(0, ::unlink(_data.file("mem").c_str()));
        CPPUNIT_ASSERT_EQUAL(_data.file("mem"), std::string(view(api().state_dir(ctx->handle()))));
    }

    void testTimerStart64Fires() {
        auto ctx = makeContext();
        std::atomic<int> fired{0};
        uint64_t id = 0;
        CPPUNIT_ASSERT_EQUAL(RPORT_OK,
                             api().timer_start64(ctx->handle(), 1, 0, &countUp, &fired, &id));
        CPPUNIT_ASSERT(id != 0);
        CPPUNIT_ASSERT(eventually([&] { return fired.load() == 1; }));
        CPPUNIT_ASSERT(eventually([&] { return _services->timers().pending() == 0; }));
        CPPUNIT_ASSERT_EQUAL(RPORT_E_NOT_FOUND, api().timer_cancel(ctx->handle(), id));
    }

    void testTimerStart64TakesDelaysOfYears() {
        auto ctx = makeContext();
        std::atomic<int> late{0}, soon{0};
        uint64_t longest = 0, years = 0, next = 0;
        // UINT64_MAX ms would overflow steady_clock arithmetic if taken literally.
        CPPUNIT_ASSERT_EQUAL(RPORT_OK, api().timer_start64(ctx->handle(), UINT64_MAX, UINT64_MAX,
                                                           &countUp, &late, &longest));
        CPPUNIT_ASSERT_EQUAL(RPORT_OK,
                             api().timer_start64(ctx->handle(), uint64_t(5) * 365 * 86400 * 1000,
                                                 0, &countUp, &late, &years));
        CPPUNIT_ASSERT_EQUAL(RPORT_OK,
                             api().timer_start64(ctx->handle(), 2, 0, &countUp, &soon, &next));
        CPPUNIT_ASSERT(eventually([&] { return soon.load() == 1; }));
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        CPPUNIT_ASSERT_EQUAL(0, late.load());
        CPPUNIT_ASSERT_EQUAL(size_t(2), _services->timers().pending());
        CPPUNIT_ASSERT_EQUAL(RPORT_OK, api().timer_cancel(ctx->handle(), longest));
        CPPUNIT_ASSERT_EQUAL(RPORT_OK, api().timer_cancel(ctx->handle(), years));
    }

    void testTimerStart64RefusesWhatTimerStartRefuses() {
        auto ctx = makeContext();
        uint64_t id = 0;
        CPPUNIT_ASSERT_EQUAL(RPORT_E_INVALID,
                             api().timer_start64(nullptr, 1, 0, &countUp, nullptr, &id));
        CPPUNIT_ASSERT_EQUAL(RPORT_E_INVALID,
                             api().timer_start64(ctx->handle(), 1, 0, nullptr, nullptr, &id));
        CPPUNIT_ASSERT_EQUAL(RPORT_E_INVALID,
                             api().timer_start64(ctx->handle(), 1, 0, &countUp, nullptr, nullptr));
        ctx->close();
        CPPUNIT_ASSERT_EQUAL(RPORT_E_UNAVAILABLE,
                             api().timer_start64(ctx->handle(), 1, 0, &countUp, nullptr, &id));
    }

private:
    const rport_host_v1& api() const { return *_services->table(); }

    std::unique_ptr<InstanceContext> makeContext() {
        return _services->makeContext(
            InstanceIdentity{"memory", "/p/memory.so", RPORT_KIND_CLIENT_AUTH, "mem"}, {});
    }

    // Records what the TLS layer would hear: "+name" published, "-name" withdrawn.
    void listen() {
        _services->tlsAlpn01Challenges().setListener([this](const std::string& name,
                                                            const std::string* cert,
                                                            const rport::sdk::SecretString*) {
            _challenges.push_back((cert ? "+" : "-") + name);
            return true;
        });
    }

    TempDir _data;
    std::unique_ptr<HostServices> _services;
    std::vector<std::string> _challenges;
};

CPPUNIT_TEST_SUITE_REGISTRATION(HostServicesV1_1Test);
