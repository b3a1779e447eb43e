// 100,000 entries: lookups and listings stay fast and correct, and the
// figures are printed for docs/benchmarks.md.
#include <cppunit/extensions/HelperMacros.h>

#include <iostream>
#include <random>

#include "FilePluginHarness.h"

using namespace rport::test::file_plugin;
using Clock = std::chrono::steady_clock;

namespace {

double microsecondsSince(Clock::time_point start) {
    return std::chrono::duration<double, std::micro>(Clock::now() - start).count();
}

}  // namespace

class ScaleTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(ScaleTest);
    CPPUNIT_TEST(hundredThousandEntries);
    CPPUNIT_TEST_SUITE_END();

public:
    void hundredThousandEntries() {
        FilePluginHarness h;
        std::mt19937 rng(7);
        const std::string alphabet =
            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        std::uniform_int_distribution<size_t> pick(0, alphabet.size() - 1);
        Credentials all;
        while (all.size() < 100000) {
            std::string id(10, 'x');
            for (char& c : id) c = alphabet[pick(rng)];
            all[id] = "pw-" + id;
        }
        h.writeInPlace(FilePluginHarness::render(all));

        auto start = Clock::now();
        auto store = h.open();
        const double loadUs = microsecondsSince(start);

        // get: every 10th id, through the full ABI path (sink, copies).
        std::vector<std::string> probes;
        for (auto it = all.begin(); it != all.end(); std::advance(it, 10))
            probes.push_back(it->first);
        start = Clock::now();
        for (const auto& id : probes) {
            std::optional<rport::sdk::AuthRecord> rec;
            if (!store->get(id, rec).ok()) CPPUNIT_FAIL("get " + id);
        }
        const double getNs = microsecondsSince(start) * 1000.0 / static_cast<double>(probes.size());

        auto timedList = [&](const std::vector<std::string>& patterns, uint64_t limit,
                             rport::sdk::ListPage& page) {
            rport::sdk::ListQuery q;
            if (!patterns.empty()) q.conditions.push_back({false, patterns});
            q.limit = limit;
            const auto begin = Clock::now();
            constexpr int kRepeats = 20;
            for (int i = 0; i < kRepeats; ++i) CPPUNIT_ASSERT(store->list(q, page).ok());
            return microsecondsSince(begin) / kRepeats;
        };
        auto expectedTotal = [&](const std::string& pattern) {
            uint64_t n = 0;
            rport::sdk::IdMatch m{false, {pattern}};
            for (const auto& [id, secret] : all) n += rport::sdk::matches(m, id) ? 1 : 0;
            return n;
        };

        rport::sdk::ListPage page;
        timedList({"ab*"}, 50, page);  // builds the prefix index once
        const double prefixUs = timedList({"ab*"}, 50, page);
        CPPUNIT_ASSERT_EQUAL(expectedTotal("ab*"), page.total);
        const double prefixAllUs = timedList({"ab*"}, UINT64_MAX, page);
        CPPUNIT_ASSERT_EQUAL(size_t(page.total), page.records.size());
        const double scanUs = timedList({"*ab*"}, 50, page);
        CPPUNIT_ASSERT_EQUAL(expectedTotal("*ab*"), page.total);
        const double firstPageUs = timedList({}, 50, page);
        CPPUNIT_ASSERT_EQUAL(uint64_t(100000), page.total);

        start = Clock::now();
        CPPUNIT_ASSERT(store->add(record("zz-new", "pw")).ok());
        const double addUs = microsecondsSince(start);
        start = Clock::now();
        timedList({"ab*"}, 50, page);
        const double firstPrefixAfterWriteUs = microsecondsSince(start);

        std::cout << "\n  [100k entries: load " << loadUs / 1000 << " ms; get " << getNs
                  << " ns; list ab* (page of 50) " << prefixUs << " us; list ab* (all "
                  << page.total << ") " << prefixAllUs << " us; list *ab* (scan, page of 50) "
                  << scanUs << " us; first page unfiltered " << firstPageUs << " us; add "
                  << addUs / 1000
                  << " ms; first ab* list after a write (rebuilds the prefix index) "
                  << firstPrefixAfterWriteUs / 1000 << " ms]" << std::flush;
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ScaleTest);
