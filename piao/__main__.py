from piao.cli import console

console()
