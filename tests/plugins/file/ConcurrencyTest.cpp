// Many API writers at once, through one store and through two stores on the
// same file (two rportd processes share the file the same way): every
// acknowledged change ends up on disk and in memory, nothing else does.
#include <cppunit/extensions/HelperMacros.h>

#include <atomic>
#include <mutex>
#include <random>
#include <thread>

#include "FilePluginHarness.h"

using namespace rport::test::file_plugin;

namespace {

// What the test knows the store must hold. Each id has its own mutex, held
// across the plugin call and the bookkeeping, so for any one id the order of
// acknowledgements is the order the store applied the changes; that makes the
// expected answer of every call known in advance.
class ExpectedState {
public:
    explicit ExpectedState(const std::vector<std::string>& ids) {
        for (const auto& id : ids) _slots[id];
    }

    // Runs one add or remove through store and checks the answer against the model.
    void apply(rport::sdk::AuthClient& store, const std::string& id, bool add, int serial) {
        Slot& slot = _slots.at(id);
        std::lock_guard<std::mutex> guard(slot.mutex);
        if (add) {
            const std::string secret = "pw-" + id + "-" + std::to_string(serial);
            auto result = store.add(record(id, secret));
            check(result.code == (slot.present ? RPORT_E_EXISTS : RPORT_OK), "add " + id, result);
            if (result.ok()) {
                slot.present = true;
                slot.secret = secret;
            }
        } else {
            auto result = store.remove(id);
            check(result.code == (slot.present ? RPORT_OK : RPORT_E_NOT_FOUND), "remove " + id,
                  result);
            if (result.ok()) slot.present = false;
        }
    }

    Credentials expected() const {
        Credentials out;
        for (const auto& [id, slot] : _slots)
            if (slot.present) out[id] = slot.secret;
        return out;
    }
    std::string firstMismatch() const {
        std::lock_guard<std::mutex> guard(_mismatchMutex);
        return _firstMismatch;
    }
    int mismatches() const { return _mismatches.load(); }

private:
    struct Slot {
        std::mutex mutex;
        bool present = false;
        std::string secret;
    };
    void check(bool ok, const std::string& what, const rport::sdk::CallResult& result) {
        if (ok) return;
        if (_mismatches++ == 0) {
            std::lock_guard<std::mutex> guard(_mismatchMutex);
            _firstMismatch =
                what + " answered " + std::to_string(result.code) + " " + result.message;
        }
    }

    std::map<std::string, Slot> _slots;
    std::atomic<int> _mismatches{0};
    mutable std::mutex _mismatchMutex;
    std::string _firstMismatch;
};

}  // namespace

class ConcurrencyTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(ConcurrencyTest);
    CPPUNIT_TEST(concurrentWritersThroughOneStore);
    CPPUNIT_TEST(concurrentWritersThroughTwoStoresOnOneFile);
    CPPUNIT_TEST_SUITE_END();

    std::unique_ptr<FilePluginHarness> h;

    static constexpr int kThreads = 8;
    static constexpr int kOperationsPerThread = 120;
    static constexpr int kSharedIds = 12;
    static constexpr int kOwnIdsPerThread = 10;

    static std::string sharedId(int i) { return "shared-" + std::to_string(i); }
    static std::string ownId(int thread, int i) {
        return "t" + std::to_string(thread) + "-" + std::to_string(i);
    }

    // Eight writers on a mix of shared and private ids, a reader listing all
    // the while; then the file, list and get must all equal the model.
    void runWriters(const std::vector<rport::sdk::AuthClient*>& stores) {
        std::vector<std::string> all;
        for (int i = 0; i < kSharedIds; ++i) all.push_back(sharedId(i));
        for (int t = 0; t < kThreads; ++t)
            for (int i = 0; i < kOwnIdsPerThread; ++i) all.push_back(ownId(t, i));
        ExpectedState state(all);

        std::atomic<bool> writing{true};
        std::atomic<int> readerFailures{0};
        std::thread reader([&] {
            while (writing) {
                rport::sdk::ListPage page;
                if (!stores[0]->list(rport::sdk::ListQuery{}, page).ok() ||
                    page.total != page.records.size())
                    ++readerFailures;
            }
        });
        std::vector<std::thread> writers;
        for (int t = 0; t < kThreads; ++t) {
            writers.emplace_back([&, t] {
                std::mt19937 rng(1000 + t);
                std::uniform_int_distribution<int> coin(0, 1), shared(0, kSharedIds - 1),
                    own(0, kOwnIdsPerThread - 1);
                rport::sdk::AuthClient& store = *stores[static_cast<size_t>(t) % stores.size()];
                for (int n = 0; n < kOperationsPerThread; ++n) {
                    const std::string id = coin(rng) ? sharedId(shared(rng)) : ownId(t, own(rng));
                    state.apply(store, id, coin(rng) == 1, t * kOperationsPerThread + n);
                }
            });
        }
        for (auto& w : writers) w.join();
        writing = false;
        reader.join();

        CPPUNIT_ASSERT_EQUAL_MESSAGE(state.firstMismatch(), 0, state.mismatches());
        CPPUNIT_ASSERT_EQUAL(0, readerFailures.load());
        const Credentials expected = state.expected();
        CPPUNIT_ASSERT(!expected.empty());
        CPPUNIT_ASSERT(expected == h->parseFile());
        // The store that wrote last serves the result at once; the other one
        // has it after its watcher (or its next write) catches up.
        for (auto* store : stores) {
            CPPUNIT_ASSERT(
                waitUntil([&] { return FilePluginHarness::listAll(*store) == expected; }));
            for (const auto& id : all) {
                auto it = expected.find(id);
                CPPUNIT_ASSERT_EQUAL(it == expected.end() ? std::string() : it->second,
                                     secretOf(*store, id));
            }
        }
        CPPUNIT_ASSERT((std::vector<std::string>{".clients-auth.json.lock", "clients-auth.json"}) ==
                       h->directoryEntries());
        CPPUNIT_ASSERT_EQUAL(size_t(0), h->logCount(RPORT_LOG_ERROR, ""));
    }

public:
    void setUp() override { h = std::make_unique<FilePluginHarness>(); }
    void tearDown() override { h.reset(); }

    void concurrentWritersThroughOneStore() {
        h->writeInPlace("{}");
        auto store = h->open();
        runWriters({store.get()});
    }

    void concurrentWritersThroughTwoStoresOnOneFile() {
        h->writeInPlace("{}");
        auto first = h->open();
        auto second = h->open();
        runWriters({first.get(), second.get()});
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ConcurrencyTest);
