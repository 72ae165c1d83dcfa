//! A budget of bytes in flight between threads: the render threads wait
//! for room before they queue a page for the writer thread of a fresh
//! output folder (`build::write_pages_with`).

/// Bytes in flight between threads, at most `max` at a time (one item
/// larger than that goes alone): [`ByteBudget::take`] waits for room,
/// [`ByteBudget::give`] makes it. Once [`ByteBudget::close`]d (the
/// consumer is gone), nothing waits and nothing is taken.
pub struct ByteBudget {
    state: std::sync::Mutex<State>,
    room: std::sync::Condvar,
    max: usize,
}

#[derive(Default)]
struct State {
    /// Bytes taken and not yet given back.
    queued: usize,
    /// Threads waiting in `take`: `give` wakes them only when there are
    /// any (a wake is a system call, and `give` runs once per page).
    waiting: usize,
    closed: bool,
}

impl ByteBudget {
    pub fn new(max: usize) -> Self {
        ByteBudget {
            state: std::sync::Mutex::new(State::default()),
            room: std::sync::Condvar::new(),
            max,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Waits for room for `n` bytes and takes them: false, taking
    /// nothing, once closed (there is no consumer to queue for).
    pub fn take(&self, n: usize) -> bool {
        let mut s = self.lock();
        while !s.closed && s.queued > 0 && s.queued + n > self.max {
            s.waiting += 1;
            s = self.room.wait(s).unwrap_or_else(|e| e.into_inner());
            s.waiting -= 1;
        }
        if s.closed {
            return false;
        }
        s.queued += n;
        true
    }

    pub fn give(&self, n: usize) {
        let mut s = self.lock();
        s.queued = s.queued.saturating_sub(n);
        if s.waiting > 0 {
            self.room.notify_all();
        }
    }

    pub fn close(&self) {
        self.lock().closed = true;
        self.room.notify_all();
    }
}

/// Closes a [`ByteBudget`] when dropped: the writer thread holds one, so
/// no render thread waits for room after it stopped, however it stopped.
pub struct CloseOnDrop<'a>(pub &'a ByteBudget);

impl Drop for CloseOnDrop<'_> {
    fn drop(&mut self) {
        self.0.close();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc::{channel, Receiver};
    use std::time::Duration;

    /// Runs `f` beside a thread that takes 6 bytes of `budget`; `f` is
    /// given what hears when that thread has them (or was refused them).
    fn beside_a_take(budget: &ByteBudget, f: impl FnOnce(&Receiver<bool>)) {
        std::thread::scope(|s| {
            let (taken, got) = channel();
            s.spawn(move || {
                taken.send(budget.take(6)).unwrap();
            });
            f(&got);
        });
    }

    #[test]
    fn the_write_queue_holds_at_most_its_bytes_and_never_waits_once_closed() {
        let budget = ByteBudget::new(10);
        // One page larger than the budget still goes, alone.
        assert!(budget.take(100));
        budget.give(100);
        assert!(budget.take(6));
        beside_a_take(&budget, |got| {
            // 12 bytes would be over 10: it waits until 6 are written.
            assert!(got.recv_timeout(Duration::from_millis(50)).is_err());
            budget.give(6);
            assert!(got.recv().unwrap());
        });
        // The writer gone, a page that would wait does not, and is not
        // queued (its thread writes it itself).
        beside_a_take(&budget, |got| {
            drop(CloseOnDrop(&budget));
            assert!(!got.recv().unwrap());
        });
        assert!(!budget.take(1));
    }
}
