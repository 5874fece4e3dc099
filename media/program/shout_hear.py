# Shout/Hear: the lesson's program, as the timeline shows it (a learner's view).
# Two processes share a queue and a print lock. The Node engine runs these same
# steps in TypeScript (Shout/Hear: Show Program (Node Engine)); the Python engine
# runs them with a real multiprocessing.Queue and Lock.
import random
import time
from multiprocessing import Lock, Process, Queue

MESSAGES = 10          # setting shoutHear.messageCount
NAP_PROBABILITY = 0.25  # setting shoutHear.napProbability
NAP_SECONDS = 0.1      # setting shoutHear.napMs, in seconds


def lprint(lock, text):
    if lock is None:             # setting shoutHear.useLock off:
        print(text, flush=True)  # lines can be written at once and mix
        return
    with lock:                   # lock wait: until no one else holds it
        print(text, flush=True)  # print: one whole line, lock held


def shouter(queue, lock):        # start
    for i in range(1, MESSAGES + 1):
        nap = random.random() < NAP_PROBABILITY
        lprint(lock, f"Shout: {i}")
        queue.put(i)             # put (waits while a bounded queue is full)
        if nap:
            time.sleep(NAP_SECONDS)  # nap: the hearer can catch up
    queue.put("done")            # the sentinel: never printed
    # exit: the shouter's process ends here


def hearer(queue, lock):         # start
    message = queue.get()        # get (waits while the queue is empty)
    while message != "done":
        lprint(lock, f"Hear: {message}")
        message = queue.get()
    # exit: the hearer's process ends here


if __name__ == "__main__":
    queue, lock = Queue(), Lock()
    processes = [Process(target=f, args=(queue, lock)) for f in (shouter, hearer)]
    for p in processes:
        p.start()
    for p in processes:
        p.join()
