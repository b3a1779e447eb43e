// Throughput of the table plugin through the C ABI (loaded with the SDK's
// fake host, as rportd loads it), over 100,000 credentials:
//   get/s with 1, 2, 4 and 8 threads, and the latency of list calls.
// Usage: bench_table_plugin [sqlite|mariadb]...   (default: both)
#include <atomic>
#include <chrono>
#include <cstdio>
#include <rport/testing.hpp>
#include <string>
#include <thread>
#include <vector>

#include "MariaDbServer.h"
#include "MariaDbTestDatabase.h"
#include "SqliteTestDatabase.h"

using namespace rport;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int kRows = 100000;
constexpr int kSeedBatch = 2000;

// Two letters ("aa".."zz") then the number: "ab*" matches about 150 ids.
std::string idOf(int i) {
    std::string id;
    id += char('a' + (i % 676) / 26);
    id += char('a' + i % 26);
    return id + "-" + std::to_string(i);
}

void seed(test::TestDatabase& db, const std::string& table) {
    for (int start = 0; start < kRows; start += kSeedBatch) {
        std::string sql = "INSERT INTO " + table + " (id, password) VALUES ";
        for (int i = start; i < start + kSeedBatch && i < kRows; ++i)
            sql += (i == start ? "('" : ",('") + idOf(i) + "','secret" + std::to_string(i) + "')";
        db.exec(sql);
    }
}

double seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

void measureGets(sdk::AuthClient& store, int threads, int getsPerThread) {
    std::atomic<int> failures{0};
    auto started = Clock::now();
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t)
        workers.emplace_back([&, t] {
            unsigned x = 12345u + unsigned(t) * 7919u;
            for (int n = 0; n < getsPerThread; ++n) {
                x = x * 1103515245u + 12345u;  // cheap spread over all ids
                std::optional<sdk::AuthRecord> rec;
                if (!store.get(idOf(int((x >> 8) % kRows)), rec).ok()) ++failures;
            }
        });
    for (auto& w : workers) w.join();
    double s = seconds(Clock::now() - started);
    std::printf("  get x%d threads: %8.0f get/s  (%d calls, %d failed)\n", threads,
                threads * getsPerThread / s, threads * getsPerThread, failures.load());
}

void measureList(sdk::AuthClient& store, const std::string& label, const sdk::ListQuery& q,
                 int calls) {
    sdk::ListPage page;
    auto started = Clock::now();
    for (int i = 0; i < calls; ++i)
        if (!store.list(q, page).ok()) std::printf("  list failed\n");
    double ms = seconds(Clock::now() - started) * 1000 / calls;
    std::printf("  list %-28s %7.2f ms/call  (%zu records, total %llu)\n", label.c_str(), ms,
                page.records.size(), static_cast<unsigned long long>(page.total));
}

void run(const std::string& name, test::TestDatabase& db, int getsPerThread) {
    sdk::testing::FakeHost host;
    auto plugin = host.open(TABLE_PLUGIN_PATH);
    host.settings = db.settings("bench");
    host.settings["create_tables"] = "true";
    auto store = host.createAuth(plugin, RPORT_KIND_CLIENT_AUTH, "table");
    auto seeded = Clock::now();
    seed(db, "bench");
    std::printf("%s: %d rows seeded in %.1f s\n", name.c_str(), kRows,
                seconds(Clock::now() - seeded));
    measureGets(*store, 1, getsPerThread);  // also warms caches and the pool
    for (int threads : {1, 2, 4, 8}) measureGets(*store, threads, getsPerThread / threads * 2);
    sdk::ListQuery abPrefix;
    abPrefix.conditions.push_back(sdk::IdMatch{false, {"ab*"}});
    abPrefix.limit = 50;
    measureList(*store, "filter ab* limit 50", abPrefix, 200);
    sdk::ListQuery firstPage;
    firstPage.limit = 50;
    measureList(*store, "no filter limit 50", firstPage, 100);
    sdk::ListQuery exact;
    exact.conditions.push_back(sdk::IdMatch{false, {idOf(4242)}});
    exact.limit = 50;
    measureList(*store, "exact id", exact, 200);
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::string> which(argv + 1, argv + argc);
    if (which.empty()) which = {"sqlite", "mariadb"};
    for (const auto& w : which) {
        if (w == "sqlite") {
            test::SqliteTestDatabase db;
            run("sqlite", db, 200000);
        } else if (w == "mariadb") {
            test::MariaDbServer server;
            test::MariaDbTestDatabase db(server);
            run("mariadb (tcp 127.0.0.1)", db, 40000);
        }
    }
}
