print("slaprobe")
