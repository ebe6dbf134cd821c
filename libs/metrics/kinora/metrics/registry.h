// Prometheus metrics: counters, gauges and histograms with labels, rendered in the text
// exposition format (version 0.0.4) that `promtool check metrics` accepts.
// Thread safety: everything may be used concurrently. Updating a metric is lock-free;
// looking up a labelled child takes a short lock (cache the reference on hot paths).
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace kinora::metrics {

using Labels = std::vector<std::string>;  // values, in the order of the family's label names

class Counter {
 public:
  void Inc(double v = 1);
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

class Gauge {
 public:
  void Set(double v) { value_.store(v, std::memory_order_relaxed); }
  void Add(double v);
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

class Histogram {
 public:
  explicit Histogram(const std::vector<double>& bounds);
  void Observe(double v);
  struct Snapshot {
    std::vector<uint64_t> cumulative;  // per bound, then +Inf
    double sum = 0;
    uint64_t count = 0;
  };
  Snapshot Take() const;
  const std::vector<double>& bounds() const { return bounds_; }

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<uint64_t>[]> buckets_;  // non-cumulative, size bounds+1
  std::atomic<double> sum_{0};
  std::atomic<uint64_t> count_{0};
};

// A named metric with label names; children are created on first use and live forever.
template <class T>
class Family {
 public:
  Family(std::string name, std::string help, std::vector<std::string> label_names,
         std::function<std::unique_ptr<T>()> make)
      : name_(std::move(name)),
        help_(std::move(help)),
        label_names_(std::move(label_names)),
        make_(std::move(make)) {}
  // REQUIRES: values.size() == label names count.
  T& With(const Labels& values = {}) {
    std::lock_guard lock(mu_);
    auto& slot = children_[values];
    if (!slot) slot = make_();
    return *slot;
  }
  template <class F>
  void ForEach(F&& f) const {
    std::lock_guard lock(mu_);
    for (const auto& [labels, child] : children_) f(labels, *child);
  }
  const std::string& name() const { return name_; }
  const std::string& help() const { return help_; }
  const std::vector<std::string>& label_names() const { return label_names_; }

 private:
  std::string name_, help_;
  std::vector<std::string> label_names_;
  std::function<std::unique_ptr<T>()> make_;
  mutable std::mutex mu_;
  std::map<Labels, std::unique_ptr<T>> children_;
};

class Registry {
 public:
  // Names must follow Prometheus rules (counters end in _total, units as _seconds/_bytes).
  // Registering the same name twice returns the existing family.
  Family<Counter>& AddCounter(std::string_view name, std::string_view help,
                              std::vector<std::string> label_names = {});
  Family<Gauge>& AddGauge(std::string_view name, std::string_view help,
                          std::vector<std::string> label_names = {});
  Family<Histogram>& AddHistogram(std::string_view name, std::string_view help,
                                  std::vector<std::string> label_names, std::vector<double> bounds);
  // A gauge read at scrape time (queue depth, open connections, ...).
  void AddCallbackGauge(std::string_view name, std::string_view help, std::function<double()> fn);

  // The whole registry in Prometheus text format.
  std::string Render() const;

 private:
  mutable std::mutex mu_;
  std::map<std::string, std::unique_ptr<Family<Counter>>, std::less<>> counters_;
  std::map<std::string, std::unique_ptr<Family<Gauge>>, std::less<>> gauges_;
  std::map<std::string, std::unique_ptr<Family<Histogram>>, std::less<>> histograms_;
  std::map<std::string, std::pair<std::string, std::function<double()>>, std::less<>> callbacks_;
};

// Latency buckets in seconds suited to HTTP handlers (1 ms … 30 s).
std::vector<double> LatencyBuckets();

}  // namespace kinora::metrics
