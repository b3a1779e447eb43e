#include "Worker.h"

namespace rport::plugins::acme {

void Worker::start() {
    _thread = std::thread([this] { run(); });
}

void Worker::wake() {
    {
        std::lock_guard<std::mutex> lock(_mutex);
        _woken = true;
    }
    _changed.notify_one();
}

void Worker::stop() {
    {
        std::lock_guard<std::mutex> lock(_mutex);
        _stopping = true;
    }
    _changed.notify_one();
    if (_thread.joinable()) _thread.join();
}

void Worker::run() {
    for (;;) {
        {
            std::unique_lock<std::mutex> lock(_mutex);
            _changed.wait(lock, [this] { return _woken || _stopping; });
            if (_stopping) return;
            _woken = false;
        }
        _turn();
    }
}

}  // namespace rport::plugins::acme
