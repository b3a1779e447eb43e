#pragma once
// The provider's one thread. Host timer callbacks must never block, so they
// only wake() it; it then runs one turn (at most one HTTP exchange) and
// sleeps until the next wake. Wakes that arrive while a turn runs coalesce
// into one more turn.
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace rport::plugins::acme {

class Worker {
public:
    explicit Worker(std::function<void()> turn) : _turn(std::move(turn)) {}
    ~Worker() { stop(); }
    Worker(const Worker&) = delete;
    Worker& operator=(const Worker&) = delete;

    void start();
    // Any thread: run another turn soon. Harmless after stop().
    void wake();
    // Any thread but the worker's: no turn runs when it returns. Idempotent.
    void stop();

private:
    void run();

    std::function<void()> _turn;
    std::mutex _mutex;
    std::condition_variable _changed;
    bool _woken = false;
    bool _stopping = false;
    std::thread _thread;
};

}  // namespace rport::plugins::acme
