// Decorators for tests of failure paths, in LevelDB's EnvWrapper manner: ObjectStoreWrapper
// forwards every call to a target store, and FaultInjectingStore makes chosen calls fail
// (the target never sees them), so a unit test can walk every failure point of the code
// under test and check what it leaves behind.
// Thread safety: as ObjectStore; the target must outlive the wrapper and its writers.
#pragma once

#include "kinora/core/fault_plan.h"
#include "kinora/storage/object_store.h"

namespace kinora::storage {

class ObjectStoreWrapper : public ObjectStore {
 public:
  explicit ObjectStoreWrapper(ObjectStore& target) : target_(target) {}

  Result<std::unique_ptr<ObjectWriter>> BeginPut(std::string_view key,
                                                 std::string_view content_type) override {
    return target_.BeginPut(key, content_type);
  }
  Result<std::unique_ptr<ObjectReader>> Get(std::string_view key,
                                            std::optional<ByteRange> range) override {
    return target_.Get(key, range);
  }
  Result<ObjectInfo> Head(std::string_view key) override { return target_.Head(key); }
  Result<ListPage> List(std::string_view prefix, std::string_view after, size_t max_keys) override {
    return target_.List(prefix, after, max_keys);
  }
  Result<void> Delete(std::string_view key) override { return target_.Delete(key); }
  Result<void> DeleteMany(const std::vector<std::string>& keys) override {
    return target_.DeleteMany(keys);
  }
  Result<void> Ping() override { return target_.Ping(); }
  std::string PresignedGet(std::string_view key, std::chrono::seconds ttl) const override {
    return target_.PresignedGet(key, ttl);
  }
  std::optional<std::string> PresignedOrigin() const override { return target_.PresignedOrigin(); }
  std::string Describe() const override { return target_.Describe(); }

 protected:
  ObjectStore& target() { return target_; }

 private:
  ObjectStore& target_;
};

// Every call a FaultInjectingStore counts. kWrite and kCommit are calls on the writers its
// BeginPut returned; DeleteMany counts one kDelete per key.
enum class StoreOp { kBeginPut, kWrite, kCommit, kGet, kHead, kList, kDelete };

class FaultInjectingStore : public ObjectStoreWrapper {
 public:
  explicit FaultInjectingStore(ObjectStore& target) : ObjectStoreWrapper(target) {}

  // The call of `op` numbered `nth` (0-based, since construction or Reset()) fails.
  void FailAt(StoreOp op, int nth, Error error = InjectedFault()) {
    plan_.FailAt(op, nth, std::move(error));
  }
  void Reset() { plan_.Reset(); }
  int calls(StoreOp op) const { return plan_.calls(op); }

  Result<std::unique_ptr<ObjectWriter>> BeginPut(std::string_view key,
                                                 std::string_view content_type) override;
  Result<std::unique_ptr<ObjectReader>> Get(std::string_view key,
                                            std::optional<ByteRange> range) override;
  Result<ObjectInfo> Head(std::string_view key) override;
  Result<ListPage> List(std::string_view prefix, std::string_view after, size_t max_keys) override;
  Result<void> Delete(std::string_view key) override;
  Result<void> DeleteMany(const std::vector<std::string>& keys) override {
    return ObjectStore::DeleteMany(keys);  // one counted Delete per key
  }

 private:
  FaultPlan<StoreOp> plan_;
};

}  // namespace kinora::storage
