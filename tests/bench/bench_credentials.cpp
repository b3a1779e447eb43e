// Client-auth benchmarks inside one process, with each plugin loaded through
// the C ABI exactly as rportd loads it (PluginRegistry + AuthBackend), over
// 100,000 credentials. Not a test: it prints figures and fails only when it
// cannot take them (a setup error, or a login that should match does not).
//
//   bench_credentials prepare DIR
//       Writes the data sets credentials.sh hands to a real rportd:
//       DIR/clients-100k.json, DIR/clients-0.json ({}), and DIR/clients-100k.db
//       (SQLite, table clients_auth, created by the table plugin).
//   bench_credentials inproc [--quick] [--runs N] [--seconds S] [--results FILE]
//                            [--only static,file,sqlite,mariadb,bcrypt]
//       verify/s (1 and 2 threads) for static, file, SQLite and MariaDB
//       (a throwaway server on 127.0.0.1), AuthBackend::get/s for file,
//       verify/s for file over a hot set of 1,000 ids, list calls/s (ab*,
//       limit 50) for file and SQLite, and bcrypt logins/s with and without
//       the VerificationCache. Every figure is taken N times (default 3),
//       each as ops per wall-clock second and per CPU-second of the measuring
//       threads; the medians and every run go to FILE as key=value.
#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <functional>
#include <iostream>
#include <memory>
#include <rport/password.hpp>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "MariaDbServer.h"
#include "TempDir.h"
#include "auth/CredentialVerifier.h"
#include "auth/VerificationCache.h"
#include "plugin_host/AuthBackend.h"
#include "plugin_host/HostServices.h"
#include "plugin_host/PluginRegistry.h"

namespace {

using Clock = std::chrono::steady_clock;
using rportd::auth::CredentialVerifier;
using rportd::auth::VerificationCache;
using rportd::plugin_host::AuthBackend;
using rportd::plugin_host::Settings;
using rportd::plugin_host::VerifyResult;

constexpr int kEntries = 100000;
constexpr int kBcryptIds = 100;
constexpr const char* kTable = "clients_auth";

// --- stopping on SIGINT/SIGTERM ------------------------------------------
// The handler only sets a flag; the loops below check it and throw, so the
// destructors run (the MariaDB server is shut down, scratch dirs removed).
std::atomic<bool> g_stop{false};
extern "C" void onStopSignal(int) { g_stop = true; }

struct Interrupted : std::runtime_error {
    Interrupted() : std::runtime_error("interrupted") {}
};
void checkStop() {
    if (g_stop) throw Interrupted();
}

// --- the data set ---------------------------------------------------------
// Three in four ids are two letters ("aa".."jy", 250 prefixes, so "ab*"
// matches 300 ids) followed by the five-digit entry number, e.g. "ab00004";
// the others look like "client-00003". Secrets are 19 printable characters
// derived from the entry number.
std::string idOf(int i) {
    char buf[32];
    if (i % 4 == 3) {
        std::snprintf(buf, sizeof buf, "client-%05d", i);
    } else {
        int prefix = (i / 4) % 250;
        std::snprintf(buf, sizeof buf, "%c%c%05d", 'a' + prefix / 25, 'a' + prefix % 25, i);
    }
    return buf;
}

uint64_t mix(uint64_t x) {  // splitmix64's finaliser
    x += 0x9e3779b97f4a7c15ull;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

std::string secretOf(int i) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "pw-%016llx", static_cast<unsigned long long>(mix(uint64_t(i))));
    return buf;
}

struct DataSet {
    std::vector<std::string> ids;
    std::vector<std::string> secrets;  // what a client presents (plaintext)
    std::vector<std::string> stored;   // what the store holds (plaintext or a hash)
};

DataSet makeData(int count) {
    DataSet d;
    d.ids.reserve(count);
    d.secrets.reserve(count);
    for (int i = 0; i < count; ++i) {
        d.ids.push_back(idOf(i));
        d.secrets.push_back(secretOf(i));
    }
    d.stored = d.secrets;
    return d;
}

// Ids and secrets are plain ASCII without quotes or backslashes; hashes are
// too ([./0-9A-Za-z$]), so no escaping is needed.
void writeJson(const std::string& path, const DataSet& d) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << "{\n";
    for (size_t i = 0; i < d.ids.size(); ++i)
        out << "  \"" << d.ids[i] << "\": \"" << d.stored[i] << '"'
            << (i + 1 < d.ids.size() ? ",\n" : "\n");
    out << "}\n";
    if (!out.flush()) throw std::runtime_error("cannot write " + path);
}

// Rows into an existing SQLite table, one transaction.
void seedSqlite(const std::string& path, const DataSet& d) {
    sqlite3* db = nullptr;
    if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) {
        std::string why = db ? sqlite3_errmsg(db) : "out of memory";
        sqlite3_close(db);
        throw std::runtime_error("sqlite open " + path + ": " + why);
    }
    auto fail = [&](const char* what) {
        std::string why = sqlite3_errmsg(db);
        sqlite3_close(db);
        throw std::runtime_error(std::string("sqlite ") + what + ": " + why);
    };
    if (sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr) != SQLITE_OK) fail("begin");
    sqlite3_stmt* insert = nullptr;
    std::string sql = std::string("INSERT INTO ") + kTable + " (id, password) VALUES (?, ?)";
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &insert, nullptr) != SQLITE_OK) fail("prepare");
    for (size_t i = 0; i < d.ids.size(); ++i) {
        sqlite3_bind_text(insert, 1, d.ids[i].data(), int(d.ids[i].size()), SQLITE_STATIC);
        sqlite3_bind_text(insert, 2, d.stored[i].data(), int(d.stored[i].size()), SQLITE_STATIC);
        if (sqlite3_step(insert) != SQLITE_DONE) {
            sqlite3_finalize(insert);
            fail("insert");
        }
        sqlite3_reset(insert);
    }
    sqlite3_finalize(insert);
    if (sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK) fail("commit");
    sqlite3_close(db);
}

// Rows into the MariaDB table: multi-row INSERTs of 2,000 rows (each
// statement is one mariadb client argument, which must stay below 128 kB).
void seedMariaDb(const rport::test::MariaDbServer& server, const DataSet& d) {
    constexpr size_t kBatch = 2000;
    for (size_t start = 0; start < d.ids.size(); start += kBatch) {
        checkStop();
        std::string sql =
            "INSERT INTO `" + server.database() + "`.`" + kTable + "` (id, password) VALUES ";
        for (size_t i = start; i < std::min(d.ids.size(), start + kBatch); ++i)
            sql += (i == start ? "('" : ",('") + d.ids[i] + "','" + d.stored[i] + "')";
        server.execRoot(sql);
    }
}

// --- loading plugins --------------------------------------------------------
std::string pluginPath(const char* name) {
    return rport::test::buildDir() + "/lib/rportd/plugins/" + name + ".so";
}

struct Host {
    rportd::plugin_host::HostServices services{rportd::plugin_host::HostOptions{"/tmp", 10}};
    rportd::plugin_host::PluginRegistry registry{services};
    Host() {
        for (const char* name : {"static", "file", "table"}) registry.loadFile(pluginPath(name));
    }
    std::unique_ptr<AuthBackend> backend(const char* name, Settings settings) {
        return std::make_unique<AuthBackend>(registry, RPORT_KIND_CLIENT_AUTH, name,
                                             std::move(settings));
    }
};

Settings sqliteSettings(const std::string& path) {
    return {{"table", kTable}, {"db_type", "sqlite"}, {"db_name", path}, {"create_tables", "true"}};
}

// A SQLite database with the 100,000 rows, its table made by the plugin.
void makeSqlite(Host& host, const std::string& path, const DataSet& d) {
    host.backend("table", sqliteSettings(path)).reset();  // creates the table
    seedSqlite(path, d);
}

// --- measuring ----------------------------------------------------------------
struct Options {
    int runs = 3;
    double seconds = 2.0;
    int uncachedLogins = kBcryptIds;  // bcrypt logins per run without the cache
    std::string resultsPath;
    std::set<std::string> only;
    bool wants(const std::string& what) const { return only.empty() || only.count(what) > 0; }
};

struct Recorder {
    std::string path;
    void put(const std::string& key, const std::string& value) const {
        if (path.empty()) return;
        std::ofstream out(path, std::ios::app);
        out << key << '=' << value << '\n';
    }
    void put(const std::string& key, double value) const {
        char buf[64];
        std::snprintf(buf, sizeof buf, "%.0f", value);
        put(key, std::string(buf));
    }
};

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    size_t n = v.size();
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

std::string withCommas(double value) {
    std::string digits = std::to_string(static_cast<long long>(value + 0.5));
    std::string out;
    for (size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return out;
}

// CPU time the calling thread has used so far, in seconds.
double threadCpuSeconds() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) / 1e9;
}

// One measurement: operations per second of wall-clock time (all threads
// together), and per second of CPU time the measuring threads used. On a
// machine shared with other work the first depends on how much of the CPU
// the scheduler gave us; the second is what one fully used core would do.
struct Sample {
    double perWallSecond = 0;
    double perCpuSecond = 0;
};

// One operation on entry k of the data set; false when it did not succeed.
using Op = std::function<bool(size_t k)>;

// Runs op on `threads` threads for `seconds`, each thread picking entries at
// random (xorshift, so the pick costs a few ns) from [0, n). Throws when any
// op failed.
Sample rate(const Op& op, size_t n, int threads, double seconds) {
    std::atomic<int> ready{0};
    std::atomic<bool> go{false};
    std::vector<uint64_t> done(threads, 0), failed(threads, 0);
    std::vector<double> cpu(threads, 0);
    std::vector<std::thread> workers;
    Clock::time_point started, deadline;
    for (int t = 0; t < threads; ++t)
        workers.emplace_back([&, t] {
            uint64_t x = mix(uint64_t(t) + 1) | 1;
            ++ready;
            while (!go.load(std::memory_order_acquire)) std::this_thread::yield();
            const double cpuBefore = threadCpuSeconds();
            uint64_t count = 0, bad = 0;
            do {
                for (int i = 0; i < 256; ++i) {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    if (!op(size_t(x % n))) ++bad;
                }
                count += 256;
            } while (Clock::now() < deadline && !g_stop);
            cpu[t] = threadCpuSeconds() - cpuBefore;
            done[t] = count;
            failed[t] = bad;
        });
    while (ready < threads) std::this_thread::yield();
    started = Clock::now();
    deadline = started +
               std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
    go.store(true, std::memory_order_release);
    for (auto& w : workers) w.join();
    double elapsed = std::chrono::duration<double>(Clock::now() - started).count();
    checkStop();
    uint64_t total = 0, bad = 0;
    double cpuTotal = 0;
    for (int t = 0; t < threads; ++t) total += done[t], bad += failed[t], cpuTotal += cpu[t];
    if (bad)
        throw std::runtime_error(std::to_string(bad) + " of " + std::to_string(total) +
                                 " calls failed");
    return {double(total) / elapsed, double(total) / cpuTotal};
}

// Wall-clock and CPU time of fn(), run on the calling thread.
Sample timeOnce(size_t operations, const std::function<void()>& fn) {
    auto started = Clock::now();
    double cpuBefore = threadCpuSeconds();
    fn();
    double cpu = threadCpuSeconds() - cpuBefore;
    double wall = std::chrono::duration<double>(Clock::now() - started).count();
    return {double(operations) / wall, double(operations) / cpu};
}

std::string twoDecimals(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f", v);
    return buf;
}

// Rates below 100/s keep two decimals, larger ones are rounded.
std::string shown(double v) { return v < 100 ? twoDecimals(v) : withCommas(v); }

// Takes a figure opt.runs times, prints each run as "wall (cpu)" and the
// medians, records the medians as KEY and KEY_cpu, and each run.
Sample figure(const Options& opt, const Recorder& rec, const std::string& key,
              const std::string& label, const std::function<Sample()>& take) {
    std::vector<double> wall, cpu;
    std::printf("%-44s", label.c_str());
    std::fflush(stdout);
    for (int r = 0; r < opt.runs; ++r) {
        Sample s = take();
        wall.push_back(s.perWallSecond);
        cpu.push_back(s.perCpuSecond);
        std::printf(" %23s", (shown(s.perWallSecond) + " (" + shown(s.perCpuSecond) + ")").c_str());
        std::fflush(stdout);
        rec.put(key + "_run" + std::to_string(r + 1), twoDecimals(s.perWallSecond));
        rec.put(key + "_cpu_run" + std::to_string(r + 1), twoDecimals(s.perCpuSecond));
    }
    Sample m{median(wall), median(cpu)};
    std::printf("   median %s/s (%s per CPU-s)\n", shown(m.perWallSecond).c_str(),
                shown(m.perCpuSecond).c_str());
    rec.put(key, twoDecimals(m.perWallSecond));
    rec.put(key + "_cpu", twoDecimals(m.perCpuSecond));
    return m;
}

// verify/s over the first n entries of the data set, with 1 and 2 threads
// (or the given thread counts).
void verifyFigures(const Options& opt, const Recorder& rec, const std::string& name,
                   AuthBackend& backend, const DataSet& d, size_t n,
                   std::vector<int> threadCounts = {1, 2}) {
    VerificationCache cache;
    CredentialVerifier verifier(backend, &cache);
    Op op = [&](size_t k) {
        return verifier.verify(d.ids[k], d.secrets[k]) == VerifyResult::Match;
    };
    // Warm up (the table plugin's connection pool, the file's pages) and
    // check that the store really holds what the figures assume.
    for (size_t k = 0; k < std::min<size_t>(n, 1000); ++k)
        if (!op(k)) throw std::runtime_error(name + ": " + d.ids[k] + " does not log in");
    if (verifier.verify(d.ids[0], "wrong") != VerifyResult::Mismatch)
        throw std::runtime_error(name + ": a wrong secret is not a mismatch");
    for (int threads : threadCounts) {
        std::string key = "cred_verify_" + name + "_t" + std::to_string(threads);
        figure(opt, rec, key, "verify/s " + name + ", " + std::to_string(threads) + " thread(s)",
               [&] { return rate(op, n, threads, opt.seconds); });
    }
}

void getFigures(const Options& opt, const Recorder& rec, const std::string& name,
                AuthBackend& backend, const DataSet& d) {
    Op op = [&](size_t k) {
        std::optional<rport::sdk::AuthRecord> record;
        return backend.get(d.ids[k], record).ok() && record.has_value();
    };
    for (int threads : {1, 2}) {
        std::string key = "cred_get_" + name + "_t" + std::to_string(threads);
        figure(opt, rec, key,
               "AuthBackend::get/s " + name + ", " + std::to_string(threads) + " thread(s)",
               [&] { return rate(op, d.ids.size(), threads, opt.seconds); });
    }
}

// list calls/s through the ABI: filter[id]=ab*, limit 50 (what the API's
// list request asks the backend), 1 thread. Every page must hold 50 of 300.
void listFigure(const Options& opt, const Recorder& rec, const std::string& name,
                AuthBackend& backend) {
    rport::sdk::ListQuery query;
    query.conditions.push_back(rport::sdk::IdMatch{false, {"ab*"}});
    query.limit = 50;
    Op op = [&](size_t) {
        rport::sdk::ListPage page;
        return backend.list(query, page).ok() && page.records.size() == 50 && page.total == 300;
    };
    if (!op(0)) throw std::runtime_error(name + ": list ab* does not give 50 of 300 ids");
    figure(opt, rec, "cred_list_inproc_" + name, "list ab* limit 50/s " + name + ", 1 thread",
           [&] { return rate(op, 1, 1, opt.seconds); });
}

// bcrypt: 100 of the 100,000 entries hold "$2y$" cost-10 hashes; the same
// 100 ids log in over and over.
void bcryptFigures(const Options& opt, const Recorder& rec, Host& host, const std::string& dir,
                   DataSet d) {
    std::vector<size_t> hashed;
    auto hashStarted = Clock::now();
    for (int j = 0; j < kBcryptIds; ++j) {
        checkStop();
        size_t k = size_t(j) * (kEntries / kBcryptIds);
        auto hash = rport::sdk::password::hashBcrypt(d.secrets[k], 10, "$2y$");
        if (!hash) throw std::runtime_error("bcrypt hashing failed");
        d.stored[k] = *hash;
        hashed.push_back(k);
    }
    double hashSeconds = std::chrono::duration<double>(Clock::now() - hashStarted).count();
    std::printf("bcrypt: %d hashes ($2y$, cost 10) made in %.1f s (%.1f ms each)\n", kBcryptIds,
                hashSeconds, hashSeconds * 1000 / kBcryptIds);
    std::string path = dir + "/clients-bcrypt.json";
    writeJson(path, d);
    auto backend = host.backend("file", {{"path", path}});

    auto logins = [&](CredentialVerifier& verifier, size_t count) {
        for (size_t i = 0; i < count; ++i) {
            checkStop();
            size_t k = hashed[i % hashed.size()];
            if (verifier.verify(d.ids[k], d.secrets[k]) != VerifyResult::Match)
                throw std::runtime_error("bcrypt: " + d.ids[k] + " does not log in");
        }
    };
    auto timed = [&](CredentialVerifier& verifier, size_t count) {
        return timeOnce(count, [&] { logins(verifier, count); });
    };

    // With the cache: one round of 100 logins runs bcrypt for each id and
    // fills the cache, then every login of the timed rounds hits.
    VerificationCache cache;
    CredentialVerifier cached(*backend, &cache);
    Sample firstRound = timed(cached, hashed.size());
    std::printf("bcrypt with cache, first round (%zu misses):  %s logins/s (%s per CPU-s)\n",
                hashed.size(), shown(firstRound.perWallSecond).c_str(),
                shown(firstRound.perCpuSecond).c_str());
    rec.put("cred_bcrypt_first_round", twoDecimals(firstRound.perWallSecond));
    uint64_t hitsBefore = cache.hits(), missesBefore = cache.misses();
    Sample withCache =
        figure(opt, rec, "cred_bcrypt_cached", "bcrypt logins/s with cache (all hits)", [&] {
            // Whole rounds of the 100 ids, for about opt.seconds.
            size_t rounds = 0;
            auto started = Clock::now();
            double cpuBefore = threadCpuSeconds();
            double elapsed = 0;
            do {
                logins(cached, hashed.size());
                ++rounds;
                elapsed = std::chrono::duration<double>(Clock::now() - started).count();
            } while (elapsed < opt.seconds);
            double n = double(rounds * hashed.size());
            return Sample{n / elapsed, n / (threadCpuSeconds() - cpuBefore)};
        });
    if (cache.misses() != missesBefore)
        throw std::runtime_error("bcrypt: the cache missed after the first round");
    std::printf("  cache: %llu hits, %llu misses during the timed rounds, %zu lines\n",
                static_cast<unsigned long long>(cache.hits() - hitsBefore),
                static_cast<unsigned long long>(cache.misses() - missesBefore), cache.size());

    CredentialVerifier uncached(*backend, nullptr);
    Sample without =
        figure(opt, rec, "cred_bcrypt_uncached",
               "bcrypt logins/s without cache (" + std::to_string(opt.uncachedLogins) + " logins)",
               [&] { return timed(uncached, size_t(opt.uncachedLogins)); });
    double ratio = withCache.perWallSecond / without.perWallSecond;
    double cpuRatio = withCache.perCpuSecond / without.perCpuSecond;
    rec.put("cred_bcrypt_ratio", ratio);
    rec.put("cred_bcrypt_ratio_cpu", cpuRatio);
    std::printf("bcrypt: with cache / without = %s x (per CPU-s: %s x)\n",
                withCommas(ratio).c_str(), withCommas(cpuRatio).c_str());
}

int inproc(const Options& opt) {
    Recorder rec{opt.resultsPath};
    rport::test::TempDir scratch;
    Host host;
    DataSet d = makeData(kEntries);
    std::printf("%d credentials, e.g. %s, %s, %s; %d run(s) of %.1f s per figure\n", kEntries,
                d.ids[0].c_str(), d.ids[3].c_str(), d.ids[4].c_str(), opt.runs, opt.seconds);
    std::printf("%-44s", "figure");
    for (int r = 1; r <= opt.runs; ++r)
        std::printf(" %23s", ("run " + std::to_string(r) + ": /s (per CPU-s)").c_str());
    std::printf("\n");

    if (opt.wants("static")) {
        auto backend = host.backend("static", {{"auth", d.ids[0] + ":" + d.secrets[0]}});
        verifyFigures(opt, rec, "static", *backend, d, 1);
    }
    if (opt.wants("file")) {
        std::string path = scratch.file("clients.json");
        writeJson(path, d);
        auto backend = host.backend("file", {{"path", path}});
        verifyFigures(opt, rec, "file", *backend, d, d.ids.size());
        getFigures(opt, rec, "file", *backend, d);
        // The same store, but logins only from its first 1,000 ids: the
        // entries they touch stay in the CPU caches.
        verifyFigures(opt, rec, "file_hot1000", *backend, d, 1000, {1});
        listFigure(opt, rec, "file", *backend);
    }
    if (opt.wants("sqlite")) {
        std::string path = scratch.file("clients.db");
        makeSqlite(host, path, d);
        auto backend = host.backend("table", sqliteSettings(path));
        verifyFigures(opt, rec, "sqlite", *backend, d, d.ids.size());
        listFigure(opt, rec, "sqlite", *backend);
    }
    if (opt.wants("mariadb")) {
        if (!rport::test::MariaDbServer::installed())
            throw std::runtime_error("MariaDB server is not installed");
        rport::test::MariaDbServer server;
        std::printf("mariadb: throwaway server at %s\n", server.hostPort().c_str());
        Settings settings{{"table", kTable},
                          {"db_type", "mysql"},
                          {"db_host", server.hostPort()},
                          {"db_user", server.user()},
                          {"db_password", server.password()},
                          {"db_name", server.database()},
                          {"create_tables", "true"}};
        host.backend("table", settings).reset();  // creates the table
        auto seeded = Clock::now();
        seedMariaDb(server, d);
        std::printf("mariadb: %d rows inserted in %.1f s\n", kEntries,
                    std::chrono::duration<double>(Clock::now() - seeded).count());
        {
            auto backend = host.backend("table", settings);
            verifyFigures(opt, rec, "mariadb", *backend, d, d.ids.size());
        }
        server.stop();
    }
    if (opt.wants("bcrypt")) bcryptFigures(opt, rec, host, scratch.path(), d);
    return 0;
}

int prepare(const std::string& dir) {
    Host host;
    DataSet d = makeData(kEntries);
    writeJson(dir + "/clients-100k.json", d);
    writeJson(dir + "/clients-0.json", DataSet{});
    makeSqlite(host, dir + "/clients-100k.db", d);
    std::printf(
        "prepared %d credentials in %s: clients-100k.json, clients-0.json, clients-100k.db\n",
        kEntries, dir.c_str());
    return 0;
}

[[noreturn]] void usage() {
    std::fprintf(
        stderr,
        "usage: bench_credentials prepare DIR\n"
        "       bench_credentials inproc [--quick] [--runs N] [--seconds S] [--results FILE]\n"
        "                                [--only static,file,sqlite,mariadb,bcrypt]\n");
    std::exit(2);
}

}  // namespace

int main(int argc, char** argv) {
    struct sigaction sa {};
    sa.sa_handler = onStopSignal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, nullptr);
    sigaction(SIGTERM, &sa, nullptr);
    std::signal(SIGPIPE, SIG_IGN);
    setvbuf(stdout, nullptr, _IOLBF, 0);

    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty()) usage();
    try {
        if (args[0] == "prepare") {
            if (args.size() != 2) usage();
            return prepare(args[1]);
        }
        if (args[0] != "inproc") usage();
        Options opt;
        for (size_t i = 1; i < args.size(); ++i) {
            auto value = [&]() -> const std::string& {
                if (i + 1 >= args.size()) usage();
                return args[++i];
            };
            if (args[i] == "--quick") {
                opt.runs = 3;
                opt.seconds = 0.3;
                opt.uncachedLogins = 10;
            } else if (args[i] == "--runs") {
                opt.runs = std::max(1, std::atoi(value().c_str()));
            } else if (args[i] == "--seconds") {
                opt.seconds = std::max(0.05, std::atof(value().c_str()));
            } else if (args[i] == "--results") {
                opt.resultsPath = value();
            } else if (args[i] == "--only") {
                std::stringstream list(value());
                for (std::string w; std::getline(list, w, ',');) opt.only.insert(w);
            } else {
                usage();
            }
        }
        return inproc(opt);
    } catch (const Interrupted&) {
        std::fprintf(stderr, "bench_credentials: interrupted\n");
        return 130;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench_credentials: %s\n", e.what());
        return 1;
    }
}
