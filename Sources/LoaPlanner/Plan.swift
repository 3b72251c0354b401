import LoaModel
